using System.Net;
using System.Runtime.InteropServices;
using Microsoft.Skype.Bots.Media;
using Switchboard.MediaBridge.Platform;
using IMediaPlatform = Switchboard.MediaBridge.Platform.IMediaPlatform;
using BridgeDirection = Switchboard.MediaBridge.Platform.MediaDirection;
using BridgeKind = Switchboard.MediaBridge.Platform.MediaKind;
using BridgePixelFormat = Switchboard.MediaBridge.Platform.PixelFormat;

namespace Switchboard.MediaBridge.Host.Platform;

/**
 * The adapter over Microsoft.Skype.Bots.Media: the only code that touches Microsoft's library.
 * It maps settings to sockets, copies every received buffer out and disposes it at once, and wraps
 * outbound PCM in the platform's buffer type. It runs on Windows only (the library's native parts).
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
        private readonly IPlatformEvents events;
        private readonly ILogger logger;
        private int disposed;
        private int videoSkipped;

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
            foreach (var request in settings.Video)
            {
                var socket = new VideoSocket(new VideoSocketSettings
                {
                    CallId = callId,
                    StreamDirections = StreamDirection.Recvonly,
                    ReceiveColorFormat = ColorFormat(request.Format),
                    MediaType = MediaType.Video,
                });
                socket.VideoMediaReceived += OnVideo;
                socket.MediaStreamFailure += OnVideoFailure;
                video.Add(socket);
            }
            if (settings.ReceiveScreenSharing)
            {
                screenSharing = new VideoSocket(new VideoSocketSettings
                {
                    CallId = callId,
                    StreamDirections = StreamDirection.Recvonly,
                    ReceiveColorFormat = VideoColorFormat.NV12,
                    MediaType = MediaType.Vbss,
                });
                screenSharing.VideoMediaReceived += OnVideo;
                screenSharing.MediaStreamFailure += OnScreenSharingFailure;
            }
            ConfigurationBlob = MediaPlatform.CreateMediaConfiguration(audio, video.Cast<IVideoSocket>().ToList(), screenSharing).ToString();
        }

        public string ConfigurationBlob { get; }

        public void SendAudio(ReadOnlyMemory<byte> pcm)
        {
            // The platform takes ownership of the buffer and disposes it once sent.
            audio.Send(new PcmSendBuffer(pcm.Span, MediaPlatform.GetCurrentTimestamp()));
        }

        public bool SendVideo(OutboundVideo frame)
        {
            // Every video socket here is receive-only (no setting asks for a send format yet): say so once per call.
            if (Interlocked.Exchange(ref videoSkipped, 1) == 0) logger.LogWarning("outbound video skipped: the call has no video socket that sends");
            return false;
        }

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
                socket.MediaStreamFailure -= OnVideoFailure;
                socket.Dispose();
            }
            if (screenSharing is not null)
            {
                screenSharing.VideoMediaReceived -= OnVideo;
                screenSharing.MediaStreamFailure -= OnScreenSharingFailure;
                screenSharing.Dispose();
            }
        }

        private void OnAudio(object? sender, AudioMediaReceivedEventArgs e) =>
            ReceivedBuffers.Consume(e.Buffer, CopyAudio, events.OnAudio, logger);

        private void OnVideo(object? sender, VideoMediaReceivedEventArgs e) =>
            ReceivedBuffers.Consume(e.Buffer, CopyVideo, events.OnVideo, logger);

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

        private static ReceivedVideo CopyVideo(VideoMediaBuffer buffer)
        {
            var format = buffer.VideoFormat;
            return new ReceivedVideo(buffer.MediaSourceId, PixelFormatOf(format.VideoColorFormat), format.Width, format.Height, Copy(buffer.Data, buffer.Length), buffer.Timestamp);
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

        private static VideoColorFormat ColorFormat(BridgePixelFormat format) => format switch
        {
            BridgePixelFormat.Rgb24 => VideoColorFormat.Rgb24,
            BridgePixelFormat.H264 => VideoColorFormat.H264,
            _ => VideoColorFormat.NV12,
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
