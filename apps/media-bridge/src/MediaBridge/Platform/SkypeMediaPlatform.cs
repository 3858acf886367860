using System.Net;
using System.Runtime.InteropServices;
using Microsoft.Skype.Bots.Media;
using Switchboard.MediaBridge.Platform;
using Switchboard.MediaBridge.Sessions;
using IMediaPlatform = Switchboard.MediaBridge.Platform.IMediaPlatform;
using BridgeDirection = Switchboard.MediaBridge.Platform.MediaDirection;
using BridgeKind = Switchboard.MediaBridge.Platform.MediaKind;
using BridgePixelFormat = Switchboard.MediaBridge.Platform.PixelFormat;

namespace Switchboard.MediaBridge.Host.Platform;

/**
 * The adapter over Microsoft.Skype.Bots.Media: the only code that touches Microsoft's library.
 * It maps settings to sockets (VideoLayout), copies every received buffer out and disposes it at once,
 * wraps outbound PCM and video in the platform's buffer types, sends DTMF, and subscribes the receiving
 * video sockets to the participants the media service picks once the platform lets them. It runs on Windows only (the library's native parts).
 */
public sealed class SkypeMediaPlatform(ILogger<SkypeMediaPlatform> logger) : IMediaPlatform
{
    private volatile bool healthy;

    public bool IsHealthy => healthy;

    public event Action<bool>? HealthChanged;

    public void Initialize(PlatformSettings settings)
    {
        if (!OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("Microsoft's real-time media platform runs on Windows only; set MEDIA_PLATFORM=fake elsewhere");
        }
        MediaPlatform.MediaPlatformHealthChanged += OnHealthChanged;
        MediaPlatform.Initialize(new MediaPlatformSettings
        {
            ApplicationId = settings.ApplicationId,
            MediaPlatformInstanceSettings = new MediaPlatformInstanceSettings
            {
                CertificateThumbprint = settings.CertificateThumbprint,
                Certificate = settings.Certificate,
                InstanceInternalPort = settings.InstanceInternalPort,
                InstancePublicIPAddress = IPAddress.Parse(settings.InstancePublicIp),
                InstancePublicPort = settings.InstancePublicPort,
                ServiceFqdn = settings.ServiceFqdn,
            },
        });
        healthy = true;
        HealthChanged?.Invoke(true);
    }

    public IPlatformSession CreateSession(string callId, SessionSettings settings, IPlatformEvents events) =>
        new SkypeSession(callId, settings, events, new Switchboard.MediaBridge.Logging.CallLogger(logger, callId));

    public void Dispose()
    {
        MediaPlatform.MediaPlatformHealthChanged -= OnHealthChanged;
        healthy = false;
    }

    private void OnHealthChanged(object? sender, MediaPlatformHealthChangedEventArgs e)
    {
        // HeavilyLoaded still serves calls; Overloaded takes no more.
        healthy = e.CurrentHealth != MediaPlatformHealthStatus.Overloaded;
        ReceivedBuffers.Guard(() => HealthChanged?.Invoke(healthy), logger);
    }

    private sealed class SkypeSession : IPlatformSession
    {
        private readonly AudioSocket audio;
        private readonly List<VideoSocket> video = [];
        private readonly VideoSocket? screenSharing;
        private readonly VideoPlans mainPlans;
        private readonly VideoPlans screenPlans;
        private readonly IPlatformEvents events;
        private readonly ILogger logger;
        private int disposed;

        public SkypeSession(string callId, SessionSettings settings, IPlatformEvents events, ILogger logger)
        {
            this.events = events;
            this.logger = logger;
            audio = new AudioSocket(new AudioSocketSettings
            {
                CallId = callId,
                StreamDirections = Direction(settings.AudioDirection),
                SupportedAudioFormat = AudioFormat.Pcm16K,
                ReceiveUnmixedMeetingAudio = settings.ReceiveUnmixedAudio,
            });
            audio.AudioMediaReceived += OnAudio;
            audio.DominantSpeakerChanged += OnDominantSpeaker;
            audio.ToneReceived += OnTone;
            audio.MediaStreamFailure += OnAudioFailure;
            var main = VideoLayout.MainVideo(settings);
            foreach (var plan in main)
            {
                var socket = new VideoSocket(SocketSettings(callId, plan, MediaType.Video));
                socket.VideoMediaReceived += OnVideo;
                socket.VideoReceiveStatusChanged += OnVideoReceiveStatus;
                socket.VideoSendStatusChanged += OnVideoSendStatus;
                socket.MediaStreamFailure += OnVideoFailure;
                video.Add(socket);
            }
            mainPlans = new VideoPlans(BridgeKind.Video, main, video, settings.Video);
            var screen = VideoLayout.ScreenSharing(settings);
            if (screen is not null)
            {
                screenSharing = new VideoSocket(SocketSettings(callId, screen, MediaType.Vbss));
                screenSharing.VideoMediaReceived += OnScreenSharingVideo;
                screenSharing.VideoReceiveStatusChanged += OnScreenSharingReceiveStatus;
                screenSharing.VideoSendStatusChanged += OnScreenSharingSendStatus;
                screenSharing.MediaStreamFailure += OnScreenSharingFailure;
            }
            screenPlans = new VideoPlans(BridgeKind.ScreenSharing, screen is null ? [] : [screen], screenSharing is null ? [] : [screenSharing], []);
            ConfigurationBlob = MediaPlatform.CreateMediaConfiguration(audio, video.Cast<IVideoSocket>().ToList(), screenSharing).ToString();
        }

        public string ConfigurationBlob { get; }

        public void SendAudio(ReadOnlyMemory<byte> pcm)
        {
            // The platform takes ownership of the buffer and disposes it once sent.
            audio.Send(new PcmSendBuffer(pcm.Span, MediaPlatform.GetCurrentTimestamp()));
        }

        public bool SendVideo(OutboundVideo frame) => (frame.Kind == BridgeKind.ScreenSharing ? screenPlans : mainPlans).Send(frame);

        public void SendTones(IReadOnlyList<Tone> tones, int delayBetweenTonesMs) =>
            // -1 is the platform's own choice of pause (a random one under 500 ms).
            audio.SendDtmfTones(tones.Select(ToToneId).ToList(), delayBetweenTonesMs == 0 ? -1 : delayBetweenTonesMs);

        public void Subscribe(BridgeKind kind, WantedVideo request) => PlansOf(kind).Subscriptions.Subscribe(request);

        public void Unsubscribe(BridgeKind kind, uint msi) => PlansOf(kind).Subscriptions.Unsubscribe(msi);

        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 1) return;
            audio.AudioMediaReceived -= OnAudio;
            audio.DominantSpeakerChanged -= OnDominantSpeaker;
            audio.ToneReceived -= OnTone;
            audio.MediaStreamFailure -= OnAudioFailure;
            audio.Dispose();
            foreach (var socket in video)
            {
                socket.VideoMediaReceived -= OnVideo;
                socket.VideoReceiveStatusChanged -= OnVideoReceiveStatus;
                socket.VideoSendStatusChanged -= OnVideoSendStatus;
                socket.MediaStreamFailure -= OnVideoFailure;
                socket.Dispose();
            }
            if (screenSharing is not null)
            {
                screenSharing.VideoMediaReceived -= OnScreenSharingVideo;
                screenSharing.VideoReceiveStatusChanged -= OnScreenSharingReceiveStatus;
                screenSharing.VideoSendStatusChanged -= OnScreenSharingSendStatus;
                screenSharing.MediaStreamFailure -= OnScreenSharingFailure;
                screenSharing.Dispose();
            }
        }

        private VideoPlans PlansOf(BridgeKind kind) => kind == BridgeKind.ScreenSharing ? screenPlans : mainPlans;

        private static VideoSocketSettings SocketSettings(string callId, VideoSocketPlan plan, MediaType type)
        {
            var settings = new VideoSocketSettings
            {
                CallId = callId,
                StreamDirections = Direction(plan.Direction),
                ReceiveColorFormat = ColorFormat(plan.ReceiveFormat),
                MediaType = type,
            };
            if (plan.Sends) settings.SupportedSendVideoFormats = plan.SendFormats.Select(PlatformVideoFormats.Of).ToList();
            return settings;
        }

        private void OnAudio(object? sender, AudioMediaReceivedEventArgs e) =>
            ReceivedBuffers.Consume(e.Buffer, CopyAudio, events.OnAudio, logger);

        private void OnVideo(object? sender, VideoMediaReceivedEventArgs e) =>
            ReceivedBuffers.Consume(e.Buffer, b => CopyVideo(b, BridgeKind.Video), events.OnVideo, logger);

        private void OnScreenSharingVideo(object? sender, VideoMediaReceivedEventArgs e) =>
            ReceivedBuffers.Consume(e.Buffer, b => CopyVideo(b, BridgeKind.ScreenSharing), events.OnVideo, logger);

        // The socket id is the socket's place in the list given to CreateMediaConfiguration.
        private void OnVideoReceiveStatus(object? sender, VideoReceiveStatusChangedEventArgs e) =>
            ReceivedBuffers.Guard(() => mainPlans.ReceiveStatusChanged(e.SocketId, e.MediaReceiveStatus == MediaReceiveStatus.Active), logger);

        private void OnScreenSharingReceiveStatus(object? sender, VideoReceiveStatusChangedEventArgs e) =>
            ReceivedBuffers.Guard(() => screenPlans.ReceiveStatusChanged(0, e.MediaReceiveStatus == MediaReceiveStatus.Active), logger);

        private void OnVideoSendStatus(object? sender, VideoSendStatusChangedEventArgs e) =>
            ReceivedBuffers.Guard(() => mainPlans.SendStatusChanged(e.SocketId, e.MediaSendStatus == MediaSendStatus.Active), logger);

        private void OnScreenSharingSendStatus(object? sender, VideoSendStatusChangedEventArgs e) =>
            ReceivedBuffers.Guard(() => screenPlans.SendStatusChanged(0, e.MediaSendStatus == MediaSendStatus.Active), logger);

        private void OnDominantSpeaker(object? sender, DominantSpeakerChangedEventArgs e) =>
            ReceivedBuffers.Guard(
                () => events.OnDominantSpeakerChanged(e.CurrentDominantSpeaker == DominantSpeakerChangedEventArgs.None ? null : e.CurrentDominantSpeaker),
                logger);

        private void OnTone(object? sender, ToneReceivedEventArgs e) =>
            ReceivedBuffers.Guard(() => events.OnTone(ToTone(e.Tone), (uint)e.SequenceId), logger);

        private void OnAudioFailure(object? sender, MediaStreamFailureEventArgs e) =>
            ReceivedBuffers.Guard(() => events.OnStreamFailure(BridgeKind.Audio, e.ToString() ?? "audio stream failed"), logger);

        private void OnVideoFailure(object? sender, MediaStreamFailureEventArgs e) =>
            ReceivedBuffers.Guard(() => events.OnStreamFailure(BridgeKind.Video, e.ToString() ?? "video stream failed"), logger);

        private void OnScreenSharingFailure(object? sender, MediaStreamFailureEventArgs e) =>
            ReceivedBuffers.Guard(() => events.OnStreamFailure(BridgeKind.ScreenSharing, e.ToString() ?? "screen sharing stream failed"), logger);

        private static ReceivedAudio CopyAudio(AudioMediaBuffer buffer)
        {
            var unmixed = buffer.UnmixedAudioBuffers?
                .Select(u => new UnmixedAudio(u.ActiveSpeakerId, Copy(u.Data, u.Length), u.OriginalSenderTimestamp))
                .ToList() ?? [];
            // With unmixed audio the mixed data is absent.
            var data = unmixed.Count > 0 || buffer.Length == 0 ? [] : Copy(buffer.Data, buffer.Length);
            return new ReceivedAudio(data, buffer.Timestamp, buffer.IsSilence, buffer.ActiveSpeakers ?? [], unmixed);
        }

        private static ReceivedVideo CopyVideo(VideoMediaBuffer buffer, BridgeKind kind)
        {
            var format = buffer.VideoFormat;
            return new ReceivedVideo(buffer.MediaSourceId, PixelFormatOf(format.VideoColorFormat), format.Width, format.Height, Copy(buffer.Data, buffer.Length), buffer.Timestamp, kind);
        }

        private static byte[] Copy(IntPtr data, long length)
        {
            var bytes = new byte[length];
            Marshal.Copy(data, bytes, 0, (int)length);
            return bytes;
        }

        private static StreamDirection Direction(BridgeDirection direction) => direction switch
        {
            BridgeDirection.ReceiveOnly => StreamDirection.Recvonly,
            BridgeDirection.SendOnly => StreamDirection.Sendonly,
            BridgeDirection.Inactive => StreamDirection.Inactive,
            _ => StreamDirection.Sendrecv,
        };

        private static BridgePixelFormat PixelFormatOf(VideoColorFormat format) => format switch
        {
            VideoColorFormat.Rgb24 => BridgePixelFormat.Rgb24,
            VideoColorFormat.H264 => BridgePixelFormat.H264,
            _ => BridgePixelFormat.Nv12,
        };

        private static Tone ToTone(ToneId tone) => tone switch
        {
            ToneId.Star => Tone.Star,
            ToneId.Pound => Tone.Pound,
            ToneId.A => Tone.A,
            ToneId.B => Tone.B,
            ToneId.C => Tone.C,
            ToneId.D => Tone.D,
            _ => (Tone)((int)tone - (int)ToneId.Tone0),
        };

        private static ToneId ToToneId(Tone tone) => tone switch
        {
            Tone.Star => ToneId.Star,
            Tone.Pound => ToneId.Pound,
            Tone.A => ToneId.A,
            Tone.B => ToneId.B,
            Tone.C => ToneId.C,
            Tone.D => ToneId.D,
            _ => (ToneId)((int)ToneId.Tone0 + (int)tone),
        };
    }

    /**
     * The video sockets of one kind: which may send now (the platform discards frames sent before its
     * send status is active) and, through VideoSubscriptions, whose video each receiving socket shows.
     */
    private sealed class VideoPlans
    {
        private readonly IReadOnlyList<VideoSocketPlan> plans;
        private readonly IReadOnlyList<VideoSocket> sockets;
        private readonly int[] receivingSockets;
        private readonly bool[] sendActive;

        public VideoPlans(BridgeKind kind, IReadOnlyList<VideoSocketPlan> plans, IReadOnlyList<VideoSocket> sockets, IReadOnlyList<VideoRequest> initial)
        {
            this.plans = plans;
            this.sockets = sockets;
            receivingSockets = Enumerable.Range(0, plans.Count).Where(i => plans[i].Receives).ToArray();
            sendActive = new bool[plans.Count];
            Subscriptions = new VideoSubscriptions(kind, receivingSockets.Select(i => plans[i].ReceiveFormat).ToList(), initial, Apply);
        }

        public VideoSubscriptions Subscriptions { get; }

        public void ReceiveStatusChanged(int socket, bool active) => Subscriptions.ReceiveStatusChanged(Array.IndexOf(receivingSockets, socket), active);

        public void SendStatusChanged(int socket, bool active)
        {
            if (socket >= 0 && socket < sendActive.Length) Volatile.Write(ref sendActive[socket], active);
        }

        /** Sends on the kind's sending socket (the first); false while the platform does not take video from it. */
        public bool Send(OutboundVideo frame)
        {
            if (plans.Count == 0 || !plans[0].Sends || !Volatile.Read(ref sendActive[0])) return false;
            var format = PlatformVideoFormats.Of(plans[0].SendFormatOf(frame)
                ?? throw new InvalidSettingsException($"a {frame.Width}x{frame.Height} {frame.Format} frame is not in one of the call's send formats"));
            // The platform owns the buffer until it disposes it.
            sockets[0].Send(new VideoSendBuffer(frame.Data, format, MediaPlatform.GetCurrentTimestamp()));
            return true;
        }

        private void Apply(int receiving, VideoRequest? request)
        {
            var socket = sockets[receivingSockets[receiving]];
            if (request is null)
            {
                socket.Unsubscribe();
                return;
            }
            var resolution = Resolution(VideoSubscriptions.Fit(request.MaxWidth, request.MaxHeight));
            // Msi 0: the other party of a 1:1 call, which has no media source id to name.
            if (request.Msi == 0) socket.Subscribe(resolution);
            else socket.Subscribe(resolution, request.Msi);
        }

        private static VideoResolution Resolution(ReceiveResolution resolution) => resolution switch
        {
            ReceiveResolution.Sd180p => VideoResolution.SD180p,
            ReceiveResolution.Sd240p => VideoResolution.SD240p,
            ReceiveResolution.Sd360p => VideoResolution.SD360p,
            ReceiveResolution.Sd540p => VideoResolution.SD540p,
            ReceiveResolution.Hd720p => VideoResolution.HD720p,
            _ => VideoResolution.HD1080p,
        };
    }

    private static VideoColorFormat ColorFormat(BridgePixelFormat format) => format switch
    {
        BridgePixelFormat.Rgb24 => VideoColorFormat.Rgb24,
        BridgePixelFormat.H264 => VideoColorFormat.H264,
        _ => VideoColorFormat.NV12,
    };

    /** The platform's named video formats (VideoFormat.H264_1280x720_30Fps, ...), looked up by what they describe. */
    private static class PlatformVideoFormats
    {
        private static readonly VideoFormat[] Known = typeof(VideoFormat)
            .GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
            .Where(f => f.FieldType == typeof(VideoFormat))
            .Select(f => (VideoFormat)f.GetValue(null)!)
            .ToArray();

        public static VideoFormat Of(VideoSendFormat format) =>
            Known.FirstOrDefault(k => k.VideoColorFormat == ColorFormat(format.Format) && k.Width == format.Width && k.Height == format.Height
                && Math.Abs(k.FrameRate - format.FrameRate) < 0.01)
            ?? throw new InvalidSettingsException($"the media platform has no {format.Format} {format.Width}x{format.Height} format at {format.FrameRate} fps");
    }

    /** One video frame in unmanaged memory, freed when the platform disposes the buffer after sending it. */
    private sealed class VideoSendBuffer : VideoMediaBuffer
    {
        public VideoSendBuffer(byte[] frame, VideoFormat format, long timestamp)
        {
            Data = Marshal.AllocHGlobal(frame.Length);
            Marshal.Copy(frame, 0, Data, frame.Length);
            Length = frame.Length;
            VideoFormat = format;
            Timestamp = timestamp;
        }

        protected override void Dispose(bool disposing)
        {
            if (Data != IntPtr.Zero) Marshal.FreeHGlobal(Data);
            Data = IntPtr.Zero;
        }
    }

    /** 20 ms of PCM in unmanaged memory, freed when the platform disposes the buffer after sending it. */
    private sealed class PcmSendBuffer : AudioMediaBuffer
    {
        public PcmSendBuffer(ReadOnlySpan<byte> pcm, long timestamp)
        {
            Data = Marshal.AllocHGlobal(pcm.Length);
            Marshal.Copy(pcm.ToArray(), 0, Data, pcm.Length);
            Length = pcm.Length;
            Timestamp = timestamp;
            AudioFormat = AudioFormat.Pcm16K;
        }

        protected override void Dispose(bool disposing)
        {
            if (Data != IntPtr.Zero) Marshal.FreeHGlobal(Data);
            Data = IntPtr.Zero;
        }
    }
}
