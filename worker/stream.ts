// Bytes to text for feed files, wherever they come from (a fetch, a picked File, headquarters): gzip is recognised by
// its magic bytes, not the file name, since a server may already have inflated a `.gz` file by sending it with
// `Content-Encoding: gzip`.

/** The text of a byte source read with `read` (a stream reader's `read`, or one wrapped with a timeout), gzip
 * inflated on the way; undefined when the source is empty. */
export async function decodeBytes(read: () => Promise<ReadableStreamReadResult<Uint8Array>>): Promise<ReadableStreamDefaultReader<string> | undefined> {
  const first = await read();
  if (first.done) return undefined;
  const gzip = first.value[0] === 0x1f && first.value[1] === 0x8b;
  const replay = new ReadableStream<Uint8Array>({
    start(controller) { controller.enqueue(first.value); },
    async pull(controller) {
      const r = await read();
      if (r.done) controller.close();
      else controller.enqueue(r.value);
    },
  });
  const bytes = gzip ? replay.pipeThrough(new DecompressionStream('gzip') as unknown as TransformStream<Uint8Array, Uint8Array>) : replay;
  return bytes.pipeThrough(new TextDecoderStream() as unknown as TransformStream<Uint8Array, string>).getReader();
}

/** A response body (or a File, through `new Response(file)`) as text chunks. */
export async function* bodyChunks(res: Response): AsyncGenerator<string> {
  if (!res.body) return;
  const raw = res.body.getReader();
  const reader = await decodeBytes(() => raw.read());
  if (!reader) return;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    yield value;
  }
}
