// Text for the evidence PDF's standard Helvetica, which only encodes WinAnsi (Latin-1 plus a few
// typographic extras), and line wrapping that stays linear in the length of the text: a saved
// field can hold 20,000 characters without a space, and the old "measure, drop a character,
// measure again" loop was cubic in that and froze the server for minutes.

// WinAnsi's characters outside Latin-1 (0x80-0x9F in the code page).
const WIN_ANSI_EXTRAS = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');

// Letters that do not decompose under NFKD but have an obvious Latin spelling.
const LATIN_SPELLING: Record<string, string> = {
  ł: 'l',
  Ł: 'L',
  đ: 'd',
  Đ: 'D',
  ı: 'i',
  ħ: 'h',
  Ħ: 'H',
  ŀ: 'l',
  Ŀ: 'L',
  '\u2010': '-',
  '\u2011': '-',
  '\u2012': '-',
  '\u2015': '—',
  '\u2212': '-',
  '\u2032': "'",
  '\u2033': '"',
};

function encodable(ch: string): boolean {
  const c = ch.codePointAt(0)!;
  return (c >= 0x20 && c < 0x7f) || (c >= 0xa0 && c <= 0xff) || WIN_ANSI_EXTRAS.has(ch);
}

/**
 * One character as Helvetica can print it. Accents the font lacks are dropped (ő -> o), other
 * spaces become a space, invisible format characters disappear, and anything else (another
 * script, an emoji) is written as its code point, e.g. [U+4E2D], so the bank still reads exactly
 * what was there instead of a "?" that loses it. The Stripe text fields keep the original.
 */
function winAnsiChar(ch: string): string {
  if (encodable(ch)) return ch;
  if (ch === '\t') return '  ';
  const named = LATIN_SPELLING[ch];
  if (named !== undefined) return named;
  if (/\p{Zs}/u.test(ch)) return ' ';
  if (/[\p{Cc}\p{Cf}\p{Mn}]/u.test(ch)) return '';
  const base = ch.normalize('NFKD').replace(/\p{M}/gu, '');
  if (base && [...base].every(encodable)) return base;
  return `[U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}]`;
}

/** The text as printable WinAnsi lines: line breaks of every kind split it first. */
export function printableLines(text: string): string[] {
  return text.split(/\r\n|[\n\r\v\f\u0085\u2028\u2029]/).map((line) => {
    let out = '';
    for (const ch of line) out += winAnsiChar(ch);
    return out;
  });
}

/** A single line of printable text (titles, footers): line breaks become spaces. */
export function printableLine(text: string): string {
  return printableLines(text).join(' ');
}

/**
 * Wraps text into lines no wider than `width`, measuring each distinct character once: word and
 * line widths are sums of character widths, so the work is linear in the text. Summing advance
 * widths leaves out kerning, which in Helvetica only narrows text, so a line never overflows.
 * A word longer than a line (a URL, a user agent) is cut by characters.
 */
export function wrapText(text: string, charWidth: (ch: string) => number, width: number): string[] {
  const cache = new Map<string, number>();
  const w = (ch: string) => {
    let v = cache.get(ch);
    if (v === undefined) cache.set(ch, (v = charWidth(ch)));
    return v;
  };
  const space = w(' ');
  const lines: string[] = [];
  for (const paragraph of printableLines(text)) {
    let line = '';
    let lineWidth = 0;
    for (const word of paragraph.split(' ')) {
      let wordWidth = 0;
      for (const ch of word) wordWidth += w(ch);
      if (line === '' ? wordWidth <= width : lineWidth + space + wordWidth <= width) {
        lineWidth = line === '' ? wordWidth : lineWidth + space + wordWidth;
        line = line === '' ? word : `${line} ${word}`;
        continue;
      }
      if (line !== '') lines.push(line);
      if (wordWidth <= width) {
        line = word;
        lineWidth = wordWidth;
        continue;
      }
      let start = 0;
      let acc = 0;
      for (let i = 0; i < word.length; i++) {
        const cw = w(word[i]!);
        if (acc + cw > width && i > start) {
          lines.push(word.slice(start, i));
          start = i;
          acc = 0;
        }
        acc += cw;
      }
      line = word.slice(start);
      lineWidth = acc;
    }
    lines.push(line);
  }
  return lines;
}
