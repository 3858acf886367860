namespace Switchboard.MediaBridge.Platform;

/** One video socket of a call: what it receives and what it sends. */
public sealed record VideoSocketPlan(MediaKind Kind, MediaDirection Direction, PixelFormat ReceiveFormat, IReadOnlyList<VideoSendFormat> SendFormats)
{
    public bool Sends => Direction is MediaDirection.SendReceive or MediaDirection.SendOnly;

    public bool Receives => Direction is MediaDirection.SendReceive or MediaDirection.ReceiveOnly;

    /** The send format a frame is in, if it is one of this socket's. */
    public VideoSendFormat? SendFormatOf(OutboundVideo frame) =>
        Sends ? SendFormats.FirstOrDefault(f => f.Format == frame.Format && f.Width == frame.Width && f.Height == frame.Height) : null;
}

/** The video sockets a call's settings ask for, the same for every platform. */
public static class VideoLayout
{
    /**
     * Main video sockets in the order the platform numbers them. The sending socket comes first (the
     * platform sends main video on one socket); with SendReceive it is also the first receiving one.
     */
    public static IReadOnlyList<VideoSocketPlan> MainVideo(SessionSettings settings)
    {
        var receiving = ReceiveFormats(settings);
        var plans = new List<VideoSocketPlan>();
        switch (settings.VideoDirection)
        {
            case MediaDirection.SendReceive:
                plans.Add(new VideoSocketPlan(MediaKind.Video, MediaDirection.SendReceive, receiving.Count > 0 ? receiving[0] : PixelFormat.Nv12, settings.VideoSendFormats));
                plans.AddRange(receiving.Skip(1).Select(ReceiveOnly));
                break;
            case MediaDirection.SendOnly:
                plans.Add(new VideoSocketPlan(MediaKind.Video, MediaDirection.SendOnly, PixelFormat.Nv12, settings.VideoSendFormats));
                plans.AddRange(receiving.Select(ReceiveOnly));
                break;
            default:
                plans.AddRange(receiving.Select(ReceiveOnly));
                break;
        }
        return plans;
    }

    /** The screen sharing socket, if the call has one. */
    public static VideoSocketPlan? ScreenSharing(SessionSettings settings) =>
        (settings.ScreenSharingDirection ?? (settings.ReceiveScreenSharing ? MediaDirection.ReceiveOnly : null)) is { } direction
            ? new VideoSocketPlan(MediaKind.ScreenSharing, direction, PixelFormat.Nv12, settings.ScreenSharingSendFormats)
            : null;

    /** The sockets that send: the first main video socket and the screen sharing socket, when they do. */
    public static IReadOnlyList<VideoSocketPlan> Sending(SessionSettings settings) =>
        MainVideo(settings).Take(1).Append(ScreenSharing(settings)).OfType<VideoSocketPlan>().Where(p => p.Sends && p.SendFormats.Count > 0).ToList();

    /** Formats of the main receiving sockets: each request's; spare sockets take the first request's (NV12 without one). */
    public static IReadOnlyList<PixelFormat> ReceiveFormats(SessionSettings settings)
    {
        var spare = settings.Video.Count > 0 ? settings.Video[0].Format : PixelFormat.Nv12;
        return Enumerable.Range(0, Math.Max(settings.VideoReceiveSockets, settings.Video.Count))
            .Select(i => i < settings.Video.Count ? settings.Video[i].Format : spare)
            .ToList();
    }

    /** The time between two frames at the fastest send format's rate: how a sending socket's video is paced. */
    public static TimeSpan SendPeriod(VideoSocketPlan plan) => TimeSpan.FromSeconds(1 / plan.SendFormats.Max(f => f.FrameRate));

    private static VideoSocketPlan ReceiveOnly(PixelFormat format) => new(MediaKind.Video, MediaDirection.ReceiveOnly, format, []);
}
