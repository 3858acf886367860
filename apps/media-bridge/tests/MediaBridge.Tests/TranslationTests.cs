using Switchboard.Media.V1;
using Switchboard.MediaBridge.Platform;
using Switchboard.MediaBridge.Sessions;
using MediaKind = Switchboard.MediaBridge.Platform.MediaKind;

namespace Switchboard.MediaBridge.Tests;

public class TranslationTests
{
    [Fact]
    public void MixedAudioKeepsDataTimestampSilenceAndSpeakers()
    {
        var request = FrameTranslation.ToRequest(new ReceivedAudio(new byte[640], 4_000_000, true, [7, 9], []));
        Assert.Equal(StreamCallRequest.PayloadOneofCase.Audio, request.PayloadCase);
        Assert.Equal(640, request.Audio.Data.Length);
        Assert.Equal(4_000_000UL, request.Audio.TimestampTicks);
        Assert.True(request.Audio.IsSilence);
        Assert.Equal([7u, 9u], request.Audio.ActiveSpeakerMsis);
        Assert.Empty(request.Audio.UnmixedBuffers);
    }

    [Fact]
    public void UnmixedAudioKeepsSpeakerIdsAndOriginalTimestampsAndAtMostFourBuffers()
    {
        var unmixed = Enumerable.Range(1, 5).Select(i => new UnmixedAudio((uint)i, new byte[640], i * 10)).ToList();
        var request = FrameTranslation.ToRequest(new ReceivedAudio([], 200_000, false, [1, 2, 3, 4, 5], unmixed));
        Assert.Equal(4, request.Audio.UnmixedBuffers.Count);
        Assert.Equal([1u, 2u, 3u, 4u], request.Audio.UnmixedBuffers.Select(b => b.SpeakerMsi));
        Assert.Equal([10UL, 20UL, 30UL, 40UL], request.Audio.UnmixedBuffers.Select(b => b.OriginalSenderTimestampTicks));
        Assert.True(request.Audio.Data.IsEmpty);
    }

    [Theory]
    [InlineData(Tone.Digit0, DtmfTone._0)]
    [InlineData(Tone.Digit9, DtmfTone._9)]
    [InlineData(Tone.Star, DtmfTone.Star)]
    [InlineData(Tone.Pound, DtmfTone.Pound)]
    [InlineData(Tone.D, DtmfTone.D)]
    public void TonesMapToTheContractsDtmfTones(Tone tone, DtmfTone expected)
    {
        Assert.Equal(expected, FrameTranslation.ToneReceived(tone, 3).Tone.Tone);
    }

    [Fact]
    public void NobodySpeakingHasNoSpeakerMsi()
    {
        Assert.False(FrameTranslation.DominantSpeaker(null).DominantSpeakerChanged.HasSpeakerMsi);
        Assert.Equal(12u, FrameTranslation.DominantSpeaker(12).DominantSpeakerChanged.SpeakerMsi);
    }

    [Fact]
    public void StreamFailuresNameTheMedia()
    {
        var failure = FrameTranslation.StreamFailure(MediaKind.ScreenSharing, "gone").StreamFailure;
        Assert.Equal(Switchboard.Media.V1.MediaKind.ScreenSharing, failure.Kind);
        Assert.Equal("gone", failure.Message);
    }

    [Fact]
    public void SessionSettingsRoundTripAndUnspecifiedDirectionMeansSendReceive()
    {
        var proto = new MediaSessionSettings { AudioFormat = AudioFormat.Pcm16K, ReceiveUnmixedAudio = true, ReceiveScreenSharing = true };
        proto.VideoSubscriptions.Add(new VideoSubscription { Msi = 5, Format = VideoFormat.Nv12, MaxWidth = 640, MaxHeight = 360 });
        var settings = FrameTranslation.ToSessionSettings(proto);
        Assert.Equal(MediaDirection.SendReceive, settings.AudioDirection);
        Assert.Equal(new VideoRequest(5, PixelFormat.Nv12, 640, 360), Assert.Single(settings.Video));
        var back = FrameTranslation.ToProto(settings);
        Assert.Equal(StreamDirection.SendReceive, back.AudioDirection);
        Assert.True(back.ReceiveUnmixedAudio);
        Assert.True(back.ReceiveScreenSharing);
        Assert.Equal(proto.VideoSubscriptions, back.VideoSubscriptions);
    }

    [Fact]
    public void RefusesSettingsItCannotHonour()
    {
        Assert.Equal("settings are required", Assert.Throws<InvalidSettingsException>(() => FrameTranslation.ToSessionSettings(null)).Message);
        var wrongFormat = new MediaSessionSettings { AudioFormat = AudioFormat.Unspecified };
        Assert.StartsWith("audio_format must be AUDIO_FORMAT_PCM_16K", Assert.Throws<InvalidSettingsException>(() => FrameTranslation.ToSessionSettings(wrongFormat)).Message);
        var noVideoFormat = new MediaSessionSettings { AudioFormat = AudioFormat.Pcm16K };
        noVideoFormat.VideoSubscriptions.Add(new VideoSubscription { Msi = 9 });
        Assert.Equal("video_subscriptions: msi 9 has no format", Assert.Throws<InvalidSettingsException>(() => FrameTranslation.ToSessionSettings(noVideoFormat)).Message);
    }

    [Fact]
    public void OutboundAudioMustBeOneFrame()
    {
        Assert.Null(FrameTranslation.OutboundAudioProblem(new OutboundAudioFrame { Data = Google.Protobuf.ByteString.CopyFrom(new byte[640]) }));
        Assert.Equal(
            "outbound audio frame has 320 bytes, expected 640 (20 ms PCM 16 kHz 16-bit mono)",
            FrameTranslation.OutboundAudioProblem(new OutboundAudioFrame { Data = Google.Protobuf.ByteString.CopyFrom(new byte[320]) }));
    }
}
