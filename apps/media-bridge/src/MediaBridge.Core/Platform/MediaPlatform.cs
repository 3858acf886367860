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

/** A participant's video the call should receive. */
public sealed record VideoRequest(uint Msi, PixelFormat Format, uint MaxWidth, uint MaxHeight);

/** The sockets of one call: audio always; one video socket per request; screen sharing when asked. */
public sealed record SessionSettings(
    MediaDirection AudioDirection,
    bool ReceiveUnmixedAudio,
    IReadOnlyList<VideoRequest> Video,
    bool ReceiveScreenSharing);

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

public sealed record ReceivedVideo(uint Msi, PixelFormat Format, int Width, int Height, byte[] Data, long TimestampTicks);

/** Outbound video the media service returned, for one of the call's send formats. */
public sealed record OutboundVideo(PixelFormat Format, int Width, int Height, byte[] Data, long TimestampTicks);

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

    /** Sends one video frame; false when the call has no video socket that sends (the frame is skipped). */
    bool SendVideo(OutboundVideo frame);
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
