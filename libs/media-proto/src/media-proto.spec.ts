import {
  AudioFormat,
  ConnectBridgeRequest,
  DtmfTone,
  HealthCheckResponse,
  HealthCheckResponse_ServingStatus,
  HealthService,
  MediaServiceService,
  StreamCallRequest,
  StreamCallResponse,
  StreamDirection,
  VideoFormat,
} from './index';

describe('generated media contract', () => {
  it('round-trips an audio frame with 100-ns tick timestamps as bigint and repeated speaker MSIs', () => {
    const ticks = 638_700_000_000_000_123n; // beyond 2^53: must not lose precision
    const frame: StreamCallRequest = {
      audio: {
        data: Buffer.alloc(640, 7),
        timestampTicks: ticks,
        isSilence: false,
        activeSpeakerMsis: [11, 4294967295],
        unmixedBuffers: [{ speakerMsi: 11, data: Buffer.alloc(640, 1), originalSenderTimestampTicks: 5n }],
      },
    };
    const decoded = StreamCallRequest.decode(StreamCallRequest.encode(frame).finish());
    expect(decoded.audio?.timestampTicks).toBe(ticks);
    expect(decoded.audio?.activeSpeakerMsis).toEqual([11, 4294967295]);
    expect(Buffer.isBuffer(decoded.audio?.data)).toBe(true);
    expect(decoded.audio?.data).toHaveLength(640);
    expect(decoded.open).toBeUndefined();
  });

  it('keeps the open message and its media settings', () => {
    const open: StreamCallRequest = {
      open: {
        callId: 'c-1',
        settings: {
          audioFormat: AudioFormat.AUDIO_FORMAT_PCM_16K,
          receiveUnmixedAudio: true,
          videoSubscriptions: [],
          audioDirection: StreamDirection.STREAM_DIRECTION_RECEIVE_ONLY,
          receiveScreenSharing: true,
          videoDirection: StreamDirection.STREAM_DIRECTION_SEND_ONLY,
          videoSendFormats: [{ format: VideoFormat.VIDEO_FORMAT_H264, width: 320, height: 180, frameRate: 15 }],
          videoReceiveSockets: 2,
          screenSharingDirection: StreamDirection.STREAM_DIRECTION_UNSPECIFIED,
          screenSharingSendFormats: [],
        },
      },
    };
    expect(StreamCallRequest.decode(StreamCallRequest.encode(open).finish())).toEqual(open);
  });

  it('carries the media platform events and the bridge session messages', () => {
    const tone: StreamCallRequest = { tone: { tone: DtmfTone.DTMF_TONE_POUND, sequenceId: 3 } };
    expect(StreamCallRequest.decode(StreamCallRequest.encode(tone).finish())).toEqual(tone);
    const created: ConnectBridgeRequest = { sessionCreated: { callId: 'c-1', mediaConfigurationBlob: 'blob' } };
    expect(ConnectBridgeRequest.decode(ConnectBridgeRequest.encode(created).finish())).toEqual(created);
    expect(MediaServiceService.connectBridge.path).toBe('/switchboard.media.v1.MediaService/ConnectBridge');
  });

  it('rejects bytes that are not a message', () => {
    expect(() => StreamCallRequest.decode(Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff]))).toThrow();
  });

  it('exposes the services under their protobuf paths', () => {
    expect(MediaServiceService.streamCall.path).toBe('/switchboard.media.v1.MediaService/StreamCall');
    expect(MediaServiceService.streamCall.requestStream).toBe(true);
    expect(MediaServiceService.streamCall.responseStream).toBe(true);
    expect(MediaServiceService.prepareCall.path).toBe('/switchboard.media.v1.MediaService/PrepareCall');
    expect(HealthService.check.path).toBe('/grpc.health.v1.Health/Check');
    const response = StreamCallResponse.fromPartial({ event: { callId: 'c-1', dtmf: { tone: 1, durationMs: 80 } } });
    expect(StreamCallResponse.decode(StreamCallResponse.encode(response).finish()).event?.dtmf?.durationMs).toBe(80);
    expect(HealthCheckResponse.decode(HealthCheckResponse.encode({ status: HealthCheckResponse_ServingStatus.NOT_SERVING }).finish()).status).toBe(
      HealthCheckResponse_ServingStatus.NOT_SERVING,
    );
  });
});
