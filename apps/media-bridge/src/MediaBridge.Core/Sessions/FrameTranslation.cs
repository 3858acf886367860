using Google.Protobuf;
using Google.Protobuf.Reflection;
using Switchboard.MediaBridge.Platform;
using Proto = Switchboard.Media.V1;

namespace Switchboard.MediaBridge.Sessions;

/** Between the platform's frames and events and the messages of proto/switchboard/media/v1. */
public static class FrameTranslation
{
    /** 20 ms of PCM 16 kHz 16-bit mono. */
    public const int AudioFrameBytes = 640;

    public const int MaxUnmixedBuffers = 4;

    /** A bound on a call's receiving video sockets, to refuse a runaway request before the platform sees it. */
    public const int MaxVideoReceiveSockets = 10;

    /** The platform sends at most 30 frames per second. */
    public const float MaxSendFrameRate = 30;

    /** Settings of a session to create, or the reason they cannot be honoured. */
    public static SessionSettings ToSessionSettings(Proto.MediaSessionSettings? settings)
    {
        if (settings is null) throw new InvalidSettingsException("settings are required");
        if (settings.AudioFormat != Proto.AudioFormat.Pcm16K)
        {
            throw new InvalidSettingsException($"audio_format must be AUDIO_FORMAT_PCM_16K, got {settings.AudioFormat}");
        }
        var direction = ToDirection(settings.AudioDirection, MediaDirection.SendReceive, "audio_direction");
        var video = settings.VideoSubscriptions
            .Select(s => new VideoRequest(s.Msi, ToPixelFormat(s.Format, $"video_subscriptions: msi {s.Msi}"), s.MaxWidth, s.MaxHeight))
            .ToList();
        var receiveSockets = Math.Max((int)Math.Min(settings.VideoReceiveSockets, int.MaxValue), video.Count);
        if (receiveSockets > MaxVideoReceiveSockets)
        {
            throw new InvalidSettingsException($"video_receive_sockets (or video_subscriptions) asks for {receiveSockets} receiving video sockets, at most {MaxVideoReceiveSockets} allowed");
        }
        return new SessionSettings(direction, settings.ReceiveUnmixedAudio, video, settings.ReceiveScreenSharing)
        {
            VideoDirection = VideoDirection(settings.VideoDirection, settings.VideoSendFormats, "video"),
            VideoSendFormats = ToSendFormats(settings.VideoSendFormats, "video_send_formats"),
            VideoReceiveSockets = receiveSockets,
            ScreenSharingDirection = ScreenSharingDirection(settings),
            ScreenSharingSendFormats = ScreenSharingSendFormats(settings.ScreenSharingSendFormats),
        };
    }

    private static MediaDirection ToDirection(Proto.StreamDirection direction, MediaDirection unspecified, string field) => direction switch
    {
        Proto.StreamDirection.Unspecified => unspecified,
        Proto.StreamDirection.SendReceive => MediaDirection.SendReceive,
        Proto.StreamDirection.ReceiveOnly => MediaDirection.ReceiveOnly,
        Proto.StreamDirection.SendOnly => MediaDirection.SendOnly,
        Proto.StreamDirection.Inactive => MediaDirection.Inactive,
        _ => throw new InvalidSettingsException($"{field} {direction} is unknown"),
    };

    /** A video socket sends only with formats to send in, and formats are only given to a socket that sends. */
    private static MediaDirection VideoDirection(Proto.StreamDirection requested, ICollection<Proto.VideoSendFormat> formats, string prefix)
    {
        var direction = ToDirection(requested, MediaDirection.ReceiveOnly, $"{prefix}_direction");
        if (direction == MediaDirection.Inactive) throw new InvalidSettingsException($"{prefix}_direction STREAM_DIRECTION_INACTIVE is not supported; leave the {prefix} settings out instead");
        var sends = direction is MediaDirection.SendReceive or MediaDirection.SendOnly;
        if (sends && formats.Count == 0)
        {
            throw new InvalidSettingsException($"{prefix}_direction {ProtoName(requested)} needs {prefix}_send_formats");
        }
        if (!sends && formats.Count > 0) throw new InvalidSettingsException($"{prefix}_send_formats are given but {prefix}_direction does not send");
        return direction;
    }

    private static MediaDirection? ScreenSharingDirection(Proto.MediaSessionSettings settings)
    {
        // Unspecified: receive_screen_sharing alone decides.
        if (settings.ScreenSharingDirection == Proto.StreamDirection.Unspecified && settings.ScreenSharingSendFormats.Count == 0) return null;
        var direction = VideoDirection(settings.ScreenSharingDirection, settings.ScreenSharingSendFormats, "screen_sharing");
        if (direction == MediaDirection.SendOnly && settings.ReceiveScreenSharing)
        {
            throw new InvalidSettingsException("receive_screen_sharing contradicts screen_sharing_direction STREAM_DIRECTION_SEND_ONLY");
        }
        return direction;
    }

    /** The platform takes screen sharing send formats of one resolution only. */
    private static IReadOnlyList<VideoSendFormat> ScreenSharingSendFormats(ICollection<Proto.VideoSendFormat> formats)
    {
        var converted = ToSendFormats(formats, "screen_sharing_send_formats");
        if (converted.Select(f => (f.Width, f.Height)).Distinct().Count() > 1)
        {
            throw new InvalidSettingsException("screen_sharing_send_formats must all have the same width and height");
        }
        return converted;
    }

    private static IReadOnlyList<VideoSendFormat> ToSendFormats(IEnumerable<Proto.VideoSendFormat> formats, string field) =>
        formats.Select((f, i) =>
        {
            var what = $"{field}[{i}]";
            if (f.Width == 0 || f.Height == 0) throw new InvalidSettingsException($"{what} needs a width and a height");
            if (!(f.FrameRate > 0 && f.FrameRate <= MaxSendFrameRate)) throw new InvalidSettingsException($"{what} frame_rate must be above 0 and at most {MaxSendFrameRate}, got {f.FrameRate}");
            return new VideoSendFormat(ToPixelFormat(f.Format, what), (int)Math.Min(f.Width, int.MaxValue), (int)Math.Min(f.Height, int.MaxValue), f.FrameRate);
        }).ToList();

    /** Main video or screen sharing; unspecified is main video. */
    public static MediaKind VideoKindOf(Proto.MediaKind kind, string what) => kind switch
    {
        Proto.MediaKind.Unspecified or Proto.MediaKind.Video => MediaKind.Video,
        Proto.MediaKind.ScreenSharing => MediaKind.ScreenSharing,
        _ => throw new InvalidSettingsException($"{what} kind must be MEDIA_KIND_VIDEO or MEDIA_KIND_SCREEN_SHARING, got {ProtoName(kind)}"),
    };

    public static WantedVideo ToWantedVideo(Proto.VideoSubscription subscription) => new(
        subscription.Msi,
        subscription.Format == Proto.VideoFormat.Unspecified ? null : ToPixelFormat(subscription.Format, $"subscription of msi {subscription.Msi}"),
        subscription.MaxWidth,
        subscription.MaxHeight);

    public static IReadOnlyList<Tone> ToTones(Proto.SendDtmfTones dtmf)
    {
        if (dtmf.Tones.Count == 0) throw new InvalidSettingsException("send_dtmf has no tones");
        return dtmf.Tones.Select((t, i) => t is > Proto.DtmfTone.Unspecified and <= Proto.DtmfTone.D
            ? (Tone)((int)t - 1)
            : throw new InvalidSettingsException($"send_dtmf tone {i} is {t}, not a DTMF tone")).ToList();
    }

    public static Proto.MediaSessionSettings ToProto(SessionSettings settings)
    {
        var proto = new Proto.MediaSessionSettings
        {
            AudioFormat = Proto.AudioFormat.Pcm16K,
            ReceiveUnmixedAudio = settings.ReceiveUnmixedAudio,
            ReceiveScreenSharing = settings.ReceiveScreenSharing,
            AudioDirection = ToProto(settings.AudioDirection),
            VideoDirection = ToProto(settings.VideoDirection),
            VideoReceiveSockets = (uint)settings.VideoReceiveSockets,
            ScreenSharingDirection = settings.ScreenSharingDirection is { } screen ? ToProto(screen) : Proto.StreamDirection.Unspecified,
        };
        proto.VideoSendFormats.AddRange(settings.VideoSendFormats.Select(ToProto));
        proto.ScreenSharingSendFormats.AddRange(settings.ScreenSharingSendFormats.Select(ToProto));
        proto.VideoSubscriptions.AddRange(settings.Video.Select(v => new Proto.VideoSubscription
        {
            Msi = v.Msi,
            Format = ToProto(v.Format),
            MaxWidth = v.MaxWidth,
            MaxHeight = v.MaxHeight,
        }));
        return proto;
    }

    private static Proto.StreamDirection ToProto(MediaDirection direction) => direction switch
    {
        MediaDirection.ReceiveOnly => Proto.StreamDirection.ReceiveOnly,
        MediaDirection.SendOnly => Proto.StreamDirection.SendOnly,
        MediaDirection.Inactive => Proto.StreamDirection.Inactive,
        _ => Proto.StreamDirection.SendReceive,
    };

    private static Proto.VideoSendFormat ToProto(VideoSendFormat format) => new()
    {
        Format = ToProto(format.Format),
        Width = (uint)format.Width,
        Height = (uint)format.Height,
        FrameRate = format.FrameRate,
    };

    // Received frames are already copies the bridge owns and never reuses, so the messages wrap them instead of copying again.
    public static Proto.StreamCallRequest ToRequest(ReceivedAudio audio)
    {
        var frame = new Proto.AudioFrame
        {
            Data = UnsafeByteOperations.UnsafeWrap(audio.Data),
            TimestampTicks = Ticks(audio.TimestampTicks),
            IsSilence = audio.IsSilence,
        };
        frame.ActiveSpeakerMsis.AddRange(audio.ActiveSpeakers);
        // The platform delivers at most four; the contract allows no more.
        frame.UnmixedBuffers.AddRange(audio.Unmixed.Take(MaxUnmixedBuffers).Select(u => new Proto.UnmixedAudioBuffer
        {
            SpeakerMsi = u.SpeakerMsi,
            Data = UnsafeByteOperations.UnsafeWrap(u.Data),
            OriginalSenderTimestampTicks = Ticks(u.OriginalSenderTimestampTicks),
        }));
        return new Proto.StreamCallRequest { Audio = frame };
    }

    public static Proto.StreamCallRequest ToRequest(ReceivedVideo video) => new()
    {
        Video = new Proto.VideoFrame
        {
            Msi = video.Msi,
            Format = ToProto(video.Format),
            Width = (uint)Math.Max(0, video.Width),
            Height = (uint)Math.Max(0, video.Height),
            Data = UnsafeByteOperations.UnsafeWrap(video.Data),
            TimestampTicks = Ticks(video.TimestampTicks),
            Kind = video.Kind == MediaKind.ScreenSharing ? Proto.MediaKind.ScreenSharing : Proto.MediaKind.Video,
        },
    };

    public static Proto.StreamCallRequest DominantSpeaker(uint? speakerMsi)
    {
        var changed = new Proto.DominantSpeakerChanged();
        if (speakerMsi is { } msi) changed.SpeakerMsi = msi;
        return new Proto.StreamCallRequest { DominantSpeakerChanged = changed };
    }

    public static Proto.StreamCallRequest ToneReceived(Tone tone, uint sequenceId) =>
        new() { Tone = new Proto.ToneReceived { Tone = ToProto(tone), SequenceId = sequenceId } };

    public static Proto.StreamCallRequest StreamFailure(MediaKind kind, string message) => new()
    {
        StreamFailure = new Proto.MediaStreamFailure
        {
            Kind = kind switch
            {
                MediaKind.Audio => Proto.MediaKind.Audio,
                MediaKind.Video => Proto.MediaKind.Video,
                _ => Proto.MediaKind.ScreenSharing,
            },
            Message = message,
        },
    };

    /** DTMF_TONE_0..9, STAR, POUND, A..D are numbered in the platform's order, one above it. */
    public static Proto.DtmfTone ToProto(Tone tone) => (Proto.DtmfTone)((int)tone + 1);

    public static Proto.VideoFormat ToProto(PixelFormat format) => format switch
    {
        PixelFormat.Nv12 => Proto.VideoFormat.Nv12,
        PixelFormat.Rgb24 => Proto.VideoFormat.Rgb24,
        _ => Proto.VideoFormat.H264,
    };

    public static PixelFormat ToPixelFormat(Proto.VideoFormat format, string what) => format switch
    {
        Proto.VideoFormat.Nv12 => PixelFormat.Nv12,
        Proto.VideoFormat.Rgb24 => PixelFormat.Rgb24,
        Proto.VideoFormat.H264 => PixelFormat.H264,
        _ => throw new InvalidSettingsException($"{what} has no format"),
    };

    /** Outbound audio the platform can send, or the reason it cannot. */
    public static string? OutboundAudioProblem(Proto.OutboundAudioFrame frame) =>
        frame.Data.Length == AudioFrameBytes
            ? null
            : $"outbound audio frame has {frame.Data.Length} bytes, expected {AudioFrameBytes} (20 ms PCM 16 kHz 16-bit mono)";

    public static OutboundVideo ToOutboundVideo(Proto.VideoFrame frame)
    {
        if (frame.Width == 0 || frame.Height == 0 || frame.Data.IsEmpty) throw new InvalidSettingsException("outbound video frame is empty");
        return new OutboundVideo(
            VideoKindOf(frame.Kind, "outbound video frame"),
            ToPixelFormat(frame.Format, "outbound video frame"),
            (int)Math.Min(frame.Width, int.MaxValue),
            (int)Math.Min(frame.Height, int.MaxValue),
            frame.Data.ToByteArray(),
            (long)Math.Min(frame.TimestampTicks, long.MaxValue));
    }

    /** An enum value as the proto file spells it (STREAM_DIRECTION_SEND_ONLY), the way the media service knows it. */
    private static string ProtoName<T>(T value) where T : struct, Enum =>
        typeof(T).GetField(value.ToString())?.GetCustomAttributes(typeof(OriginalNameAttribute), false).OfType<OriginalNameAttribute>().FirstOrDefault()?.Name
        ?? value.ToString();

    /** The platform's 100-ns ticks are never negative; a negative value would wrap. */
    private static ulong Ticks(long ticks) => ticks < 0 ? 0 : (ulong)ticks;
}

/** Settings or a frame the bridge cannot honour. */
public sealed class InvalidSettingsException(string message) : Exception(message);
