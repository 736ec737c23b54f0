// Which hosts the RuCERT URL may name (RUCERT_ALLOWED_HOSTS). On a hardened install the list holds NCIRCC's hosts, so
// neither a stolen admin token nor a careless one can point the integration (and its token, and the connection
// check) at the internal network. Hosts are compared as the WHATWG URL parser normalises them: lower case,
// punycode, IPv4 in dotted decimal (0x7f.1 is 127.0.0.1), IPv6 without brackets. Names are not resolved: an
// allowed name is trusted to resolve where its owner says.

/** One entry: an exact host, or every subdomain of a domain (`*.cert.gov.ru`: lk.cert.gov.ru, not cert.gov.ru). */
type Entry = { exact: string } | { suffix: string };

export class AllowedHosts {
  private readonly entries: Entry[];

  /** `text` is the comma-separated list; empty or undefined allows every host. */
  constructor(text: string | undefined) {
    this.entries = (text ?? '')
      .split(',')
      .map((entry) => entry.trim().toLowerCase())
      .filter(Boolean)
      .map((entry) => (entry.startsWith('*.') ? { suffix: `.${normalise(entry.slice(2))}` } : { exact: normalise(entry) }));
  }

  get restricted(): boolean {
    return this.entries.length > 0;
  }

  /** Whether a URL's host may be called; a URL that does not parse is not allowed on a restricted install. */
  allows(url: string): boolean {
    if (!this.restricted) return true;
    if (!URL.canParse(url)) return false;
    const host = normalise(new URL(url).hostname);
    return this.entries.some((e) => ('exact' in e ? host === e.exact : host.endsWith(e.suffix)));
  }
}

/** As the URL parser writes a host, without IPv6 brackets or a trailing dot. */
function normalise(host: string): string {
  const bracketed = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  const written = URL.canParse(`http://${bracketed}/`) ? new URL(`http://${bracketed}/`).hostname : host;
  return written.replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '');
}
