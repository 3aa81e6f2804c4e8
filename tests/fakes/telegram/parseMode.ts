// Telegram's HTML parse mode, strictly enough that a forgotten escape in the
// adapter fails here the way it fails on the real Bot API ("can't parse entities").

const ALLOWED = new Set([
  "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre",
  "span", "tg-spoiler", "blockquote", "tg-emoji",
]);

const NAMED: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"' };

export class ParseError extends Error {}

/** Returns the plain text Telegram would store for an HTML-formatted message. */
export function htmlToText(html: string): string {
  let out = "";
  const open: string[] = [];
  let i = 0;
  while (i < html.length) {
    const ch = html[i]!;
    if (ch === "<") {
      const end = html.indexOf(">", i);
      if (end < 0) throw new ParseError(`Unclosed start tag at byte offset ${i}`);
      const inner = html.slice(i + 1, end).trim();
      if (inner.startsWith("/")) {
        const name = inner.slice(1).trim().toLowerCase();
        const last = open.pop();
        if (last !== name) throw new ParseError(`Can't find end tag corresponding to start tag "${last ?? name}"`);
      } else {
        const name = (inner.split(/\s/)[0] ?? "").toLowerCase();
        if (!ALLOWED.has(name)) throw new ParseError(`Unsupported start tag "${name}" at byte offset ${i}`);
        open.push(name);
      }
      i = end + 1;
      continue;
    }
    if (ch === "&") {
      const semi = html.indexOf(";", i);
      const body = semi > i ? html.slice(i + 1, semi) : "";
      if (/^#\d{1,7}$/.test(body)) {
        out += String.fromCodePoint(Number(body.slice(1)));
        i = semi + 1;
        continue;
      }
      if (/^#x[0-9a-f]{1,6}$/i.test(body)) {
        out += String.fromCodePoint(parseInt(body.slice(2), 16));
        i = semi + 1;
        continue;
      }
      if (body in NAMED) {
        out += NAMED[body];
        i = semi + 1;
        continue;
      }
      // Telegram keeps a lone "&" as text.
    }
    out += ch;
    i += 1;
  }
  if (open.length) throw new ParseError(`Can't find end tag corresponding to start tag "${open[open.length - 1]}"`);
  return out;
}
