using Switchboard.MediaBridge.Sessions;

namespace Switchboard.MediaBridge.Platform;

/** A subscription the media service asks for; a null format takes any free socket's. */
public sealed record WantedVideo(uint Msi, PixelFormat? Format, uint MaxWidth, uint MaxHeight);

/** The receive sizes the platform knows (VideoResolution), smallest first. */
public enum ReceiveResolution
{
    Sd180p,
    Sd240p,
    Sd360p,
    Sd540p,
    Hd720p,
    Hd1080p,
}

/**
 * Which participant each receiving video socket of a call (of one kind) shows. The platform lets a
 * socket subscribe only while its receive status is active, so what is wanted before then is applied
 * when it turns active. <c>apply</c> calls the platform: (socket, request), or (socket, null) to unsubscribe.
 */
public sealed class VideoSubscriptions
{
    private static readonly (ReceiveResolution Resolution, uint Width, uint Height)[] Sizes =
    [
        (ReceiveResolution.Sd180p, 320, 180), (ReceiveResolution.Sd240p, 424, 240), (ReceiveResolution.Sd360p, 640, 360),
        (ReceiveResolution.Sd540p, 960, 540), (ReceiveResolution.Hd720p, 1280, 720), (ReceiveResolution.Hd1080p, 1920, 1080),
    ];

    private readonly object gate = new();
    private readonly string what;
    private readonly PixelFormat[] formats;
    private readonly VideoRequest?[] wanted;
    private readonly bool[] active;
    private readonly Action<int, VideoRequest?> apply;

    /** <paramref name="formats"/>: one per receiving socket; <paramref name="initial"/>: what the first sockets receive. */
    public VideoSubscriptions(MediaKind kind, IReadOnlyList<PixelFormat> formats, IReadOnlyList<VideoRequest> initial, Action<int, VideoRequest?> apply)
    {
        what = kind == MediaKind.ScreenSharing ? "screen sharing" : "video";
        this.formats = [.. formats];
        wanted = new VideoRequest?[formats.Count];
        for (var i = 0; i < Math.Min(initial.Count, formats.Count); i++) wanted[i] = initial[i];
        active = new bool[formats.Count];
        this.apply = apply;
    }

    public IReadOnlyList<VideoRequest?> Wanted
    {
        get
        {
            lock (gate) return [.. wanted];
        }
    }

    /** The largest size within the request's bounds (0: no bound); the smallest when none fits. */
    public static ReceiveResolution Fit(uint maxWidth, uint maxHeight)
    {
        var fits = Sizes.Where(s => (maxWidth == 0 || s.Width <= maxWidth) && (maxHeight == 0 || s.Height <= maxHeight)).ToList();
        return fits.Count > 0 ? fits[^1].Resolution : ReceiveResolution.Sd180p;
    }

    /** Returns the socket that receives the participant. */
    public int Subscribe(WantedVideo request)
    {
        lock (gate)
        {
            if (formats.Length == 0) throw new InvalidSettingsException($"the call has no {what} socket that receives");
            var socket = SocketOf(request.Msi);
            if (socket >= 0 && request.Format is { } format && format != formats[socket])
            {
                throw new InvalidSettingsException($"msi {request.Msi} is received as {formats[socket]} on {what} socket {socket}; unsubscribe it before asking for {format}");
            }
            if (socket < 0) socket = FreeSocket(request.Format);
            return Change(socket, new VideoRequest(request.Msi, formats[socket], request.MaxWidth, request.MaxHeight));
        }
    }

    /** Returns the socket that is free again. */
    public int Unsubscribe(uint msi)
    {
        lock (gate)
        {
            var socket = SocketOf(msi);
            if (socket < 0) throw new InvalidSettingsException($"msi {msi} is not received on a {what} socket of the call");
            return Change(socket, null);
        }
    }

    /** The platform says whether a socket may subscribe now; turning active applies what it should receive. */
    public void ReceiveStatusChanged(int socket, bool isActive)
    {
        lock (gate)
        {
            if (socket < 0 || socket >= active.Length) return;
            active[socket] = isActive;
            if (isActive && wanted[socket] is { } request) apply(socket, request);
        }
    }

    private int Change(int socket, VideoRequest? request)
    {
        var previous = wanted[socket];
        wanted[socket] = request;
        if (!active[socket]) return socket;
        try
        {
            apply(socket, request);
        }
        catch
        {
            wanted[socket] = previous;
            throw;
        }
        return socket;
    }

    private int SocketOf(uint msi) => Array.FindIndex(wanted, w => w?.Msi == msi);

    private int FreeSocket(PixelFormat? format)
    {
        var anyFree = Array.Exists(wanted, w => w is null);
        for (var i = 0; i < wanted.Length; i++)
        {
            if (wanted[i] is null && (format is null || formats[i] == format)) return i;
        }
        throw new InvalidSettingsException(!anyFree
            ? $"every {what} socket of the call is in use ({wanted.Length}); unsubscribe one first"
            : $"no free {what} socket of the call receives {format}");
    }
}
