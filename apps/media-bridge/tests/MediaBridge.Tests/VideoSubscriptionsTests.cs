using Switchboard.MediaBridge.Platform;
using Switchboard.MediaBridge.Sessions;

namespace Switchboard.MediaBridge.Tests;

public class VideoSubscriptionsTests
{
    private readonly List<string> applied = [];

    private VideoSubscriptions Sockets(IReadOnlyList<PixelFormat> formats, params VideoRequest[] initial) =>
        new(MediaKind.Video, formats, initial, (socket, request) => applied.Add(request is null ? $"{socket}: none" : $"{socket}: {request.Msi} {request.Format} {request.MaxWidth}x{request.MaxHeight}"));

    private static void ActivateAll(VideoSubscriptions subscriptions, int count)
    {
        for (var i = 0; i < count; i++) subscriptions.ReceiveStatusChanged(i, true);
    }

    [Fact]
    public void WhatIsWantedBeforeASocketMaySubscribeIsAppliedWhenItTurnsActive()
    {
        var sockets = Sockets([PixelFormat.Nv12, PixelFormat.Nv12], new VideoRequest(9, PixelFormat.Nv12, 640, 360));
        sockets.Subscribe(new WantedVideo(12, null, 320, 180));
        Assert.Empty(applied);

        sockets.ReceiveStatusChanged(1, true);
        sockets.ReceiveStatusChanged(0, true);

        Assert.Equal(["1: 12 Nv12 320x180", "0: 9 Nv12 640x360"], applied);
    }

    [Fact]
    public void PicksAFreeSocketOfTheFormatResizesOnTheSameSocketAndFreesOnUnsubscribe()
    {
        var sockets = Sockets([PixelFormat.Nv12, PixelFormat.H264]);
        ActivateAll(sockets, 2);

        Assert.Equal(1, sockets.Subscribe(new WantedVideo(5, PixelFormat.H264, 0, 0)));
        Assert.Equal(0, sockets.Subscribe(new WantedVideo(6, null, 0, 0)));
        Assert.Equal(1, sockets.Subscribe(new WantedVideo(5, null, 1280, 720)));
        Assert.Equal(0, sockets.Unsubscribe(6));
        Assert.Equal(0, sockets.Subscribe(new WantedVideo(7, PixelFormat.Nv12, 0, 0)));

        Assert.Equal(["1: 5 H264 0x0", "0: 6 Nv12 0x0", "1: 5 H264 1280x720", "0: none", "0: 7 Nv12 0x0"], applied);
        Assert.Equal([7u, 5u], sockets.Wanted.Select(w => w!.Msi));
    }

    [Fact]
    public void RefusesWhatNoSocketCanTakeAndChangesNothing()
    {
        var sockets = Sockets([PixelFormat.Nv12], new VideoRequest(9, PixelFormat.Nv12, 0, 0));
        ActivateAll(sockets, 1);
        applied.Clear();

        Assert.Equal("every video socket of the call is in use (1); unsubscribe one first",
            Assert.Throws<InvalidSettingsException>(() => sockets.Subscribe(new WantedVideo(10, null, 0, 0))).Message);
        Assert.Equal("msi 9 is received as Nv12 on video socket 0; unsubscribe it before asking for H264",
            Assert.Throws<InvalidSettingsException>(() => sockets.Subscribe(new WantedVideo(9, PixelFormat.H264, 0, 0))).Message);
        Assert.Equal("msi 11 is not received on a video socket of the call",
            Assert.Throws<InvalidSettingsException>(() => sockets.Unsubscribe(11)).Message);
        sockets.Unsubscribe(9);
        Assert.Equal("no free video socket of the call receives Rgb24",
            Assert.Throws<InvalidSettingsException>(() => sockets.Subscribe(new WantedVideo(10, PixelFormat.Rgb24, 0, 0))).Message);
        Assert.Equal("the call has no screen sharing socket that receives",
            Assert.Throws<InvalidSettingsException>(() => new VideoSubscriptions(MediaKind.ScreenSharing, [], [], (_, _) => { }).Subscribe(new WantedVideo(1, null, 0, 0))).Message);

        Assert.Equal(["0: none"], applied);
    }

    [Fact]
    public void ASubscriptionThePlatformRefusesIsNotKept()
    {
        var sockets = new VideoSubscriptions(MediaKind.Video, [PixelFormat.Nv12], [], (_, request) =>
        {
            if (request?.Msi == 13) throw new InvalidOperationException("the platform refuses msi 13");
        });
        sockets.ReceiveStatusChanged(0, true);

        Assert.Throws<InvalidOperationException>(() => sockets.Subscribe(new WantedVideo(13, null, 0, 0)));
        Assert.Null(Assert.Single(sockets.Wanted));
        Assert.Equal(0, sockets.Subscribe(new WantedVideo(14, null, 0, 0)));
    }

    [Theory]
    [InlineData(0u, 0u, ReceiveResolution.Hd1080p)]
    [InlineData(1280u, 720u, ReceiveResolution.Hd720p)]
    [InlineData(1000u, 1000u, ReceiveResolution.Sd540p)]
    [InlineData(640u, 0u, ReceiveResolution.Sd360p)]
    [InlineData(100u, 100u, ReceiveResolution.Sd180p)]
    public void AsksForTheLargestSizeWithinTheBounds(uint maxWidth, uint maxHeight, ReceiveResolution expected)
    {
        Assert.Equal(expected, VideoSubscriptions.Fit(maxWidth, maxHeight));
    }
}
