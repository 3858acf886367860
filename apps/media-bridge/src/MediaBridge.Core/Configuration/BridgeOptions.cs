namespace Switchboard.MediaBridge.Configuration;

/** Which media platform the bridge hosts. */
public enum PlatformKind
{
    /** Microsoft's real-time media platform (Windows only). */
    Microsoft,

    /** A stand-in that plays generated frames: for tests and for running the bridge off Windows. */
    Fake,
}

/**
 * The bridge's settings, read from the environment variables the chart gives each media pod
 * (names in <see cref="BridgeConfiguration"/>) and validated at start.
 */
public sealed class BridgeOptions
{
    public PlatformKind Platform { get; set; } = PlatformKind.Microsoft;

    /** The bot's application (client) id. */
    public string ApplicationId { get; set; } = "";

    /** SHA-1 thumbprint of the certificate for <see cref="ServiceFqdn"/>, in the machine's certificate store. */
    public string CertificateThumbprint { get; set; } = "";

    /** Folder with tls.crt and tls.key of that certificate; empty: the platform finds it in the machine's store. */
    public string CertificateDir { get; set; } = "";

    /** DNS name that resolves to the public IP and that the certificate names. */
    public string ServiceFqdn { get; set; } = "";

    public string InstancePublicIp { get; set; } = "";

    /** This pod's public media port: MEDIA_INSTANCE_PUBLIC_PORT, or MEDIA_INSTANCE_PUBLIC_PORT_BASE + POD_INDEX. */
    public int InstancePublicPort { get; set; }

    /** Where the media platform listens inside the pod. */
    public int InstanceInternalPort { get; set; } = 8445;

    /** Health and drain endpoints. */
    public int HttpPort { get; set; } = 9441;

    /** The media service beside the bridge: host:port (h2c) or an http(s) URL. */
    public string MediaGrpcTarget { get; set; } = "127.0.0.1:50051";

    public string PodName { get; set; } = Environment.MachineName;

    /** Received frames a call may have waiting for the gRPC stream before new ones are dropped. */
    public int FrameQueueCapacity { get; set; } = 150;

    /** Outbound audio frames a call may have waiting for their 20 ms slot (the rest wait in gRPC flow control). */
    public int OutboundAudioCapacity { get; set; } = 50;

    /** Outbound video frames a call may have waiting per sending socket (30 = 1 s at 30 fps). */
    public int OutboundVideoCapacity { get; set; } = 30;

    /** Invalid settings named with the environment variable they came from (filled by the loader). */
    internal List<string> LoadProblems { get; } = [];

    public Uri MediaGrpcAddress =>
        MediaGrpcTarget.Contains("://", StringComparison.Ordinal) ? new Uri(MediaGrpcTarget) : new Uri($"http://{MediaGrpcTarget}");
}
