namespace Switchboard.MediaBridge.Platform;

/*
 * The seam between the bridge and a media platform. The adapter over Microsoft.Skype.Bots.Media
 * implements it on Windows; FakeMediaPlatform implements it everywhere else. Everything the bridge
 * decides (sessions, translation, pacing, backpressure) is on this side of it.
 */

public enum MediaDirection
{
    SendReceive,
    ReceiveOnly,
    SendOnly,
    Inactive,
}

public enum PixelFormat
{
    Nv12,
    Rgb24,
    H264,
}

public enum MediaKind
{
    Audio,
    Video,
    ScreenSharing,
}

public enum Tone
{
    Digit0,
    Digit1,
    Digit2,
    Digit3,
    Digit4,
    Digit5,
    Digit6,
    Digit7,
    Digit8,
    Digit9,
    Star,
    Pound,
    A,
    B,
    C,
    D,
}

/** A participant's video the call should receive (Msi 0: the other party of a 1:1 call). */
public sealed record VideoRequest(uint Msi, PixelFormat Format, uint MaxWidth, uint MaxHeight);

/** A format the bot sends video in, one the platform names (e.g. H264 1280x720 at 30 fps). */
public sealed record VideoSendFormat(PixelFormat Format, int Width, int Height, float FrameRate);

/**
 * The sockets of one call: audio always; main video and screen sharing as <see cref="VideoLayout"/>
 * lays them out from these settings.
 */
public sealed record SessionSettings(
    MediaDirection AudioDirection,
    bool ReceiveUnmixedAudio,
    IReadOnlyList<VideoRequest> Video,
    bool ReceiveScreenSharing)
{
    /** SendReceive or SendOnly: the call sends main video in <see cref="VideoSendFormats"/>. */
    public MediaDirection VideoDirection { get; init; } = MediaDirection.ReceiveOnly;

    public IReadOnlyList<VideoSendFormat> VideoSendFormats { get; init; } = [];

    /** Main video sockets that receive; there is always at least one per <see cref="Video"/> request. */
    public int VideoReceiveSockets { get; init; }

    /** Null: as <see cref="ReceiveScreenSharing"/> says (a receiving socket, or none). */
    public MediaDirection? ScreenSharingDirection { get; init; }

    public IReadOnlyList<VideoSendFormat> ScreenSharingSendFormats { get; init; } = [];
}

/** Platform settings of this instance (MediaPlatformSettings). Certificate: loaded from MEDIA_CERTIFICATE_DIR, if set. */
public sealed record PlatformSettings(
    string ApplicationId,
    string CertificateThumbprint,
    System.Security.Cryptography.X509Certificates.X509Certificate2? Certificate,
    string ServiceFqdn,
    string InstancePublicIp,
    int InstancePublicPort,
    int InstanceInternalPort);

/** One speaker's 20 ms in an unmixed frame, copied out of the platform's buffer. */
public sealed record UnmixedAudio(uint SpeakerMsi, byte[] Data, long OriginalSenderTimestampTicks);

/** 20 ms of received audio, copied out of the platform's buffer. Unmixed frames have empty Data. */
public sealed record ReceivedAudio(
    byte[] Data,
    long TimestampTicks,
    bool IsSilence,
    IReadOnlyList<uint> ActiveSpeakers,
    IReadOnlyList<UnmixedAudio> Unmixed);

public sealed record ReceivedVideo(uint Msi, PixelFormat Format, int Width, int Height, byte[] Data, long TimestampTicks, MediaKind Kind = MediaKind.Video);

/** Outbound video the media service returned, for the socket of <see cref="Kind"/> (Video or ScreenSharing). */
public sealed record OutboundVideo(MediaKind Kind, PixelFormat Format, int Width, int Height, byte[] Data, long TimestampTicks);

/**
 * What a call's sockets report. The platform calls these on its own threads; implementations
 * must return at once (the bridge only copies and queues).
 */
public interface IPlatformEvents
{
    void OnAudio(ReceivedAudio audio);
    void OnVideo(ReceivedVideo video);
    /** Null when nobody is speaking. */
    void OnDominantSpeakerChanged(uint? speakerMsi);
    void OnTone(Tone tone, uint sequenceId);
    void OnStreamFailure(MediaKind kind, string message);
}

/** The sockets of one call on the platform. Dispose releases them. */
public interface IPlatformSession : IDisposable
{
    /** The blob signaling hands to Graph as appHostedMediaConfig.blob. */
    string ConfigurationBlob { get; }

    /** Sends 20 ms of PCM 16 kHz mono, stamped with the platform's clock. */
    void SendAudio(ReadOnlyMemory<byte> pcm);

    /**
     * Sends one video frame on the socket of its kind; false when that socket may not send now (the
     * platform has not made its send status active), so the frame is dropped.
     */
    bool SendVideo(OutboundVideo frame);

    /** Sends DTMF tones in order (out of band, on the audio socket); 0 ms lets the platform pick the pauses. */
    void SendTones(IReadOnlyList<Tone> tones, int delayBetweenTonesMs);

    /**
     * Receives a participant's video (Video or ScreenSharing) on a free receiving socket, or at the new
     * size on the socket already receiving it. Throws <see cref="Sessions.InvalidSettingsException"/> when it cannot.
     */
    void Subscribe(MediaKind kind, WantedVideo request);

    /** Stops receiving a participant's video. Throws <see cref="Sessions.InvalidSettingsException"/> when it is not received. */
    void Unsubscribe(MediaKind kind, uint msi);
}

public interface IMediaPlatform : IDisposable
{
    /** Starts the platform; throws with a clear message when it cannot. */
    void Initialize(PlatformSettings settings);

    bool IsHealthy { get; }

    /** Raised with the new health, on any thread. */
    event Action<bool>? HealthChanged;

    /** Creates the call's sockets; their events go to <paramref name="events"/>. */
    IPlatformSession CreateSession(string callId, SessionSettings settings, IPlatformEvents events);
}
