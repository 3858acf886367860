using Google.Protobuf.Collections;
using Switchboard.Media.V1;
using Switchboard.MediaBridge.Platform;
using Switchboard.MediaBridge.Sessions;
using MediaKind = Switchboard.MediaBridge.Platform.MediaKind;
using VideoSendFormat = Switchboard.MediaBridge.Platform.VideoSendFormat;

namespace Switchboard.MediaBridge.Tests;

public class VideoLayoutTests
{
    private static MediaSessionSettings Proto(Action<MediaSessionSettings> change)
    {
        var settings = new MediaSessionSettings { AudioFormat = AudioFormat.Pcm16K };
        change(settings);
        return settings;
    }

    private static void Add(RepeatedField<Media.V1.VideoSendFormat> formats, Media.V1.VideoFormat format, uint width, uint height, float rate) =>
        formats.Add(new Media.V1.VideoSendFormat { Format = format, Width = width, Height = height, FrameRate = rate });

    private static string Describe(IEnumerable<VideoSocketPlan> plans) =>
        string.Join(", ", plans.Select(p => $"{p.Direction} {p.ReceiveFormat} {p.SendFormats.Count}"));

    [Fact]
    public void SendReceiveVideoSendsOnTheFirstReceivingSocketAndSpareSocketsTakeTheFirstFormat()
    {
        var settings = FrameTranslation.ToSessionSettings(Proto(s =>
        {
            s.VideoSubscriptions.Add(new VideoSubscription { Msi = 5, Format = Media.V1.VideoFormat.H264 });
            s.VideoSubscriptions.Add(new VideoSubscription { Msi = 6, Format = Media.V1.VideoFormat.Nv12 });
            s.VideoReceiveSockets = 3;
            s.VideoDirection = StreamDirection.SendReceive;
            Add(s.VideoSendFormats, Media.V1.VideoFormat.H264, 320, 180, 15);
            Add(s.VideoSendFormats, Media.V1.VideoFormat.H264, 1280, 720, 30);
        }));

        Assert.Equal("SendReceive H264 2, ReceiveOnly Nv12 0, ReceiveOnly H264 0", Describe(VideoLayout.MainVideo(settings)));
        Assert.Equal(TimeSpan.FromSeconds(1 / 30f), VideoLayout.SendPeriod(Assert.Single(VideoLayout.Sending(settings))));
        Assert.Null(VideoLayout.ScreenSharing(settings));
    }

    [Fact]
    public void SendOnlyVideoAddsASocketThatOnlySendsAndUnspecifiedOnlyReceives()
    {
        var sendOnly = FrameTranslation.ToSessionSettings(Proto(s =>
        {
            s.VideoSubscriptions.Add(new VideoSubscription { Msi = 5, Format = Media.V1.VideoFormat.Nv12 });
            s.VideoDirection = StreamDirection.SendOnly;
            Add(s.VideoSendFormats, Media.V1.VideoFormat.H264, 320, 180, 15);
        }));
        Assert.Equal("SendOnly Nv12 1, ReceiveOnly Nv12 0", Describe(VideoLayout.MainVideo(sendOnly)));

        var receiving = FrameTranslation.ToSessionSettings(Proto(s => s.VideoReceiveSockets = 2));
        Assert.Equal("ReceiveOnly Nv12 0, ReceiveOnly Nv12 0", Describe(VideoLayout.MainVideo(receiving)));
        Assert.Empty(VideoLayout.Sending(receiving));
    }

    [Fact]
    public void ScreenSharingReceivesWhenAskedAndSendsWithItsFormats()
    {
        var receiving = FrameTranslation.ToSessionSettings(Proto(s => s.ReceiveScreenSharing = true));
        Assert.Equal(MediaDirection.ReceiveOnly, VideoLayout.ScreenSharing(receiving)?.Direction);

        var sending = FrameTranslation.ToSessionSettings(Proto(s =>
        {
            s.ReceiveScreenSharing = true;
            s.ScreenSharingDirection = StreamDirection.SendReceive;
            Add(s.ScreenSharingSendFormats, Media.V1.VideoFormat.Nv12, 1920, 1080, 1.875f);
            Add(s.ScreenSharingSendFormats, Media.V1.VideoFormat.Nv12, 1920, 1080, 15);
        }));
        var plan = VideoLayout.ScreenSharing(sending);
        Assert.Equal(MediaKind.ScreenSharing, plan?.Kind);
        Assert.True(plan is { Sends: true, Receives: true });
        Assert.Equal(TimeSpan.FromSeconds(1 / 15f), VideoLayout.SendPeriod(plan!));
        Assert.Equal([MediaKind.ScreenSharing], VideoLayout.Sending(sending).Select(p => p.Kind));
    }

    [Fact]
    public void TheNewSettingsSurviveTheOpenMessage()
    {
        var proto = Proto(s =>
        {
            s.VideoDirection = StreamDirection.SendOnly;
            Add(s.VideoSendFormats, Media.V1.VideoFormat.H264, 320, 180, 7.5f);
            s.VideoReceiveSockets = 2;
            s.ScreenSharingDirection = StreamDirection.SendOnly;
            Add(s.ScreenSharingSendFormats, Media.V1.VideoFormat.Nv12, 1280, 720, 1.875f);
        });
        var settings = FrameTranslation.ToSessionSettings(proto);
        Assert.Equal([new VideoSendFormat(PixelFormat.H264, 320, 180, 7.5f)], settings.VideoSendFormats);

        var back = FrameTranslation.ToProto(settings);
        Assert.Equal(proto.VideoSendFormats, back.VideoSendFormats);
        Assert.Equal(proto.ScreenSharingSendFormats, back.ScreenSharingSendFormats);
        Assert.Equal((StreamDirection.SendOnly, StreamDirection.SendOnly, 2u), (back.VideoDirection, back.ScreenSharingDirection, back.VideoReceiveSockets));
    }

    [Theory]
    [InlineData("send-without-formats", "video_direction STREAM_DIRECTION_SEND_RECEIVE needs video_send_formats")]
    [InlineData("formats-without-sending", "video_send_formats are given but video_direction does not send")]
    [InlineData("inactive", "video_direction STREAM_DIRECTION_INACTIVE is not supported; leave the video settings out instead")]
    [InlineData("no-size", "video_send_formats[0] needs a width and a height")]
    [InlineData("too-fast", "video_send_formats[0] frame_rate must be above 0 and at most 30, got 60")]
    [InlineData("no-format", "video_send_formats[0] has no format")]
    [InlineData("screen-sizes", "screen_sharing_send_formats must all have the same width and height")]
    [InlineData("screen-contradiction", "receive_screen_sharing contradicts screen_sharing_direction STREAM_DIRECTION_SEND_ONLY")]
    [InlineData("too-many-sockets", "video_receive_sockets (or video_subscriptions) asks for 11 receiving video sockets, at most 10 allowed")]
    public void RefusesVideoSettingsItCannotHonourAndSaysWhy(string problem, string expected)
    {
        var proto = Proto(s =>
        {
            switch (problem)
            {
                case "send-without-formats":
                    s.VideoDirection = StreamDirection.SendReceive;
                    break;
                case "formats-without-sending":
                    Add(s.VideoSendFormats, Media.V1.VideoFormat.H264, 320, 180, 15);
                    break;
                case "inactive":
                    s.VideoDirection = StreamDirection.Inactive;
                    break;
                case "no-size":
                    s.VideoDirection = StreamDirection.SendOnly;
                    Add(s.VideoSendFormats, Media.V1.VideoFormat.H264, 0, 180, 15);
                    break;
                case "too-fast":
                    s.VideoDirection = StreamDirection.SendOnly;
                    Add(s.VideoSendFormats, Media.V1.VideoFormat.H264, 320, 180, 60);
                    break;
                case "no-format":
                    s.VideoDirection = StreamDirection.SendOnly;
                    Add(s.VideoSendFormats, Media.V1.VideoFormat.Unspecified, 320, 180, 15);
                    break;
                case "screen-sizes":
                    s.ScreenSharingDirection = StreamDirection.SendOnly;
                    Add(s.ScreenSharingSendFormats, Media.V1.VideoFormat.Nv12, 1280, 720, 15);
                    Add(s.ScreenSharingSendFormats, Media.V1.VideoFormat.Nv12, 1920, 1080, 15);
                    break;
                case "screen-contradiction":
                    s.ReceiveScreenSharing = true;
                    s.ScreenSharingDirection = StreamDirection.SendOnly;
                    Add(s.ScreenSharingSendFormats, Media.V1.VideoFormat.Nv12, 1280, 720, 15);
                    break;
                default:
                    s.VideoReceiveSockets = 11;
                    break;
            }
        });
        Assert.Equal(expected, Assert.Throws<InvalidSettingsException>(() => FrameTranslation.ToSessionSettings(proto)).Message);
    }
}
