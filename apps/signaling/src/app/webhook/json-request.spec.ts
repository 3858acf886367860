import type { IncomingMessage } from 'node:http';
import { PassThrough } from 'node:stream';
import { HttpRefusal, readJsonBody } from './json-request';

/** A request body arriving in `chunks`, with the given headers (no content-length unless given: chunked). */
function request(headers: Record<string, string>, chunks: string[]): IncomingMessage {
  const stream = new PassThrough();
  Object.assign(stream, { headers });
  setImmediate(() => {
    for (const chunk of chunks) stream.write(chunk);
    stream.end();
  });
  return stream as unknown as IncomingMessage;
}

const json = { 'content-type': 'application/json; charset=utf-8' };

describe('readJsonBody', () => {
  it('reads a JSON body sent in chunks', async () => {
    await expect(readJsonBody(request(json, ['{"value":', '[1,2]}']), 1024)).resolves.toEqual({ value: [1, 2] });
  });

  it('refuses a chunked body once it passes the limit, without a content-length to go by', async () => {
    const refusal = readJsonBody(request(json, ['{"pad":"', 'x'.repeat(600), 'x'.repeat(600), '"}']), 1024);
    await expect(refusal).rejects.toEqual(new HttpRefusal(413, 'the body is larger than 1024 bytes'));
  });

  it('refuses by content-length before reading', async () => {
    const req = request({ ...json, 'content-length': '5000' }, []);
    await expect(readJsonBody(req, 1024)).rejects.toMatchObject({ status: 413 });
  });

  it.each([
    ['no content type', {}],
    ['text/plain', { 'content-type': 'text/plain' }],
    ['a type that only starts like JSON', { 'content-type': 'application/jsonp' }],
  ])('refuses %s with 415', async (_name, headers) => {
    await expect(readJsonBody(request(headers, ['{}']), 1024)).rejects.toMatchObject({ status: 415 });
  });

  it.each([
    ['malformed JSON', '{"value": ['],
    ['an empty body', ''],
    ['a __proto__ key', '{"__proto__":{"x":1}}'],
    ['a constructor.prototype key', '{"constructor":{"prototype":{"x":1}}}'],
  ])('refuses %s with 400', async (_name, body) => {
    await expect(readJsonBody(request(json, [body]), 1024)).rejects.toMatchObject({ status: 400, message: expect.stringMatching(/not acceptable JSON/) });
  });
});
