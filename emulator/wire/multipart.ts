// `multipart/form-data` bodies, as the SDK sends them for `POST /v1/files`: text parts become
// (bracket-nested) params, file parts keep their bytes, filename and content type.
import { parseForm, type FormObject } from './form.ts';

export interface UploadedFile {
  field: string;
  filename: string;
  contentType: string;
  data: Buffer;
}

export function parseMultipart(body: Buffer, contentType: string): { params: FormObject; files: UploadedFile[] } {
  const m = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  const boundary = m?.[1] ?? m?.[2];
  if (!boundary) return { params: {}, files: [] };
  const delimiter = Buffer.from(`--${boundary}`);
  const files: UploadedFile[] = [];
  const pairs: string[] = [];
  let pos = body.indexOf(delimiter);
  while (pos !== -1) {
    const start = pos + delimiter.length;
    if (body.subarray(start, start + 2).toString() === '--') break;
    const next = body.indexOf(delimiter, start);
    if (next === -1) break;
    // Part = CRLF headers CRLF CRLF content CRLF
    const part = body.subarray(start + 2, next - 2);
    const sep = part.indexOf('\r\n\r\n');
    if (sep !== -1) {
      const headers = part.subarray(0, sep).toString('utf8');
      const content = part.subarray(sep + 4);
      const name = /name="([^"]*)"/i.exec(headers)?.[1];
      const filename = /filename="([^"]*)"/i.exec(headers)?.[1];
      const type = /content-type:\s*([^\r\n]+)/i.exec(headers)?.[1]?.trim();
      if (name !== undefined) {
        if (filename !== undefined) {
          files.push({
            field: name,
            filename: filename.replace(/%22/g, '"'),
            contentType: type ?? 'application/octet-stream',
            data: Buffer.from(content),
          });
        } else {
          pairs.push(`${encodeURIComponent(name)}=${encodeURIComponent(content.toString('utf8'))}`);
        }
      }
    }
    pos = next;
  }
  return { params: parseForm(pairs.join('&')), files };
}
