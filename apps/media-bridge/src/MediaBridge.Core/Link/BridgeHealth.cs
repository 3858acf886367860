namespace Switchboard.MediaBridge.Link;

/** What the pod's probes ask the bridge: is the platform healthy, is the media service reachable. */
public sealed class BridgeHealth
{
    private volatile bool platformHealthy;
    private volatile bool linkConnected;

    public bool PlatformHealthy { get => platformHealthy; set => platformHealthy = value; }

    public bool LinkConnected { get => linkConnected; set => linkConnected = value; }

    public bool Ready => platformHealthy && linkConnected;
}
