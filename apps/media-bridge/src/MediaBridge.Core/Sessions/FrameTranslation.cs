using Google.Protobuf;
using Switchboard.MediaBridge.Platform;
using Proto = Switchboard.Media.V1;

namespace Switchboard.MediaBridge.Sessions;

/** Between the platform's frames and events and the messages of proto/switchboard/media/v1. */
public static class FrameTranslation
{
    /** 20 ms of PCM 16 kHz 16-bit mono. */
    public const int AudioFrameBytes = 640;

    public const int MaxUnmixedBuffers = 4;

    /** Settings of a session to create, or the reason they cannot be honoured. */
    public static SessionSettings ToSessionSettings(Proto.MediaSessionSettings? settings)
    {
        if (settings is null) throw new InvalidSettingsException("settings are required");
        if (settings.AudioFormat != Proto.AudioFormat.Pcm16K)
        {
            throw new InvalidSettingsException($"audio_format must be AUDIO_FORMAT_PCM_16K, got {settings.AudioFormat}");
        }
        var direction = settings.AudioDirection switch
        {
            Proto.StreamDirection.Unspecified or Proto.StreamDirection.SendReceive => MediaDirection.SendReceive,
            Proto.StreamDirection.ReceiveOnly => MediaDirection.ReceiveOnly,
            Proto.StreamDirection.SendOnly => MediaDirection.SendOnly,
            Proto.StreamDirection.Inactive => MediaDirection.Inactive,
            _ => throw new InvalidSettingsException($"audio_direction {settings.AudioDirection} is unknown"),
        };
        var video = settings.VideoSubscriptions
            .Select(s => new VideoRequest(s.Msi, ToPixelFormat(s.Format, $"video_subscriptions: msi {s.Msi}"), s.MaxWidth, s.MaxHeight))
            .ToList();
        return new SessionSettings(direction, settings.ReceiveUnmixedAudio, video, settings.ReceiveScreenSharing);
    }

    public static Proto.MediaSessionSettings ToProto(SessionSettings settings)
    {
        var proto = new Proto.MediaSessionSettings
        {
            AudioFormat = Proto.AudioFormat.Pcm16K,
            ReceiveUnmixedAudio = settings.ReceiveUnmixedAudio,
            ReceiveScreenSharing = settings.ReceiveScreenSharing,
            AudioDirection = settings.AudioDirection switch
            {
                MediaDirection.ReceiveOnly => Proto.StreamDirection.ReceiveOnly,
                MediaDirection.SendOnly => Proto.StreamDirection.SendOnly,
                MediaDirection.Inactive => Proto.StreamDirection.Inactive,
                _ => Proto.StreamDirection.SendReceive,
            },
        };
        proto.VideoSubscriptions.AddRange(settings.Video.Select(v => new Proto.VideoSubscription
        {
            Msi = v.Msi,
            Format = ToProto(v.Format),
            MaxWidth = v.MaxWidth,
            MaxHeight = v.MaxHeight,
        }));
        return proto;
    }

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
        return new OutboundVideo(ToPixelFormat(frame.Format, "outbound video frame"), (int)frame.Width, (int)frame.Height, frame.Data.ToByteArray(), (long)frame.TimestampTicks);
    }

    /** The platform's 100-ns ticks are never negative; a negative value would wrap. */
    private static ulong Ticks(long ticks) => ticks < 0 ? 0 : (ulong)ticks;
}

/** Settings or a frame the bridge cannot honour. */
public sealed class InvalidSettingsException(string message) : Exception(message);
