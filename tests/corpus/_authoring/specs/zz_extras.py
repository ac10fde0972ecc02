"""Additional (fault-free) helper code appended to short modules so that every
case's source is a realistic 40+ line module. Applied by id to cases defined in
the other spec files; this file defines no cases of its own."""

EXTRAS = {
"js-missing-cond-003": (r'''
function splitUrl(url) {
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  const query = {};
  if (q >= 0) {
    for (const pair of url.slice(q + 1).split('&')) {
      if (!pair) continue;
      const [k, v = ''] = pair.split('=');
      query[decodeURIComponent(k)] = decodeURIComponent(v);
    }
  }
  return { path, query };
}
''', ["splitUrl"]),
"js-uncaught-003": (r'''
function sitemapXml(urls) {
  const body = urls
    .map((u) => `  <url><loc>${u.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</loc></url>`)
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${body}\n</urlset>`;
}

function crawlQueue(start, fetchHtml, limit = 50) {
  const seen = new Set([start]);
  const queue = [start];
  while (queue.length > 0 && seen.size < limit) {
    const url = queue.shift();
    for (const link of extractLinks(fetchHtml(url) || '', url)) {
      if (!seen.has(link) && seen.size < limit) {
        seen.add(link);
        queue.push(link);
      }
    }
  }
  return [...seen];
}
''', ["sitemapXml", "crawlQueue"]),
"js-inf-loop-002": (r'''
function slugHistory(pages) {
  // Map old slugs to current ones so renamed pages can be redirected.
  const redirects = {};
  for (const p of pages) {
    for (const old of p.previousSlugs || []) {
      if (old !== p.slug) redirects[old] = p.slug;
    }
  }
  return redirects;
}

function isValidSlug(s) {
  return typeof s === 'string' && s.length > 0 && s.length <= 60 && /^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(s);
}
''', ["slugHistory", "isValidSlug"]),
"js-null-deref-003": (r'''
function deprecationHeaders(version) {
  // Versions below the default are deprecated and get a sunset date.
  if (version >= DEFAULT_VERSION) return {};
  return {
    Deprecation: 'true',
    Sunset: 'Sat, 01 Jun 2030 00:00:00 GMT',
    Link: `</v${DEFAULT_VERSION}>; rel="successor-version"`,
  };
}
''', ["deprecationHeaders"]),
"js-wrong-var-002": (r'''
function parseRetryAfter(header, nowMs = Date.now()) {
  // Retry-After is either delta-seconds or an HTTP date.
  if (header == null || header === '') return null;
  if (/^\d+$/.test(String(header).trim())) return Number(header) * 1000;
  const t = Date.parse(header);
  if (Number.isNaN(t)) return null;
  return Math.max(0, t - nowMs);
}
''', ["parseRetryAfter"]),
"py-missing-init-003": (r'''
def concurrent_peak(events):
    """Maximum number of users online at the same time."""
    online = set()
    peak = 0
    for ts, user, kind in sorted(events):
        if kind == "login":
            online.add(user)
        elif kind == "logout":
            online.discard(user)
        peak = max(peak, len(online))
    return peak
''', None),
"py-off-by-one-004": (r'''
def burn_rate_alert(values, threshold_ms, target=99.0, factor=2.0):
    """True when the error budget is being consumed `factor` times too fast."""
    budget = error_budget(values, threshold_ms, target)
    return budget >= factor


def format_summary(values):
    parts = ["%s=%sms" % (k, v) for k, v in summary(values).items()]
    return " ".join(parts) + " (n=%d)" % len(values)
''', None),
"js-api-misuse-001": (r'''
function percentChange(before, after) {
  const a = median(before);
  const b = median(after);
  if (a === null || b === null || a === 0) return null;
  return Math.round(((b - a) / a) * 1000) / 10;
}

function regression(before, after, thresholdPct = 20) {
  const change = percentChange(before, after);
  return change !== null && change > thresholdPct;
}
''', ["percentChange", "regression"]),
"js-input-val-001": (r'''
function linkHeader(baseUrl, page, limit) {
  // RFC 8288 Link header for the next page, if any.
  if (!page.nextCursor) return '';
  const url = `${baseUrl}?cursor=${encodeURIComponent(page.nextCursor)}&limit=${limit}`;
  return `<${url}>; rel="next"`;
}
''', ["linkHeader"]),
"py-api-misuse-002": (r'''
def describe(mounts):
    """Human-readable mount table for the /debug page."""
    lines = []
    for prefix, app in sorted(mounts._mounts):
        name = getattr(app, "__name__", type(app).__name__)
        lines.append("%-20s -> %s" % (prefix, name))
    return "\n".join(lines)
''', None),
"py-api-misuse-003": (r'''
def format_page(alerts, service):
    """Render fired alerts as a pager message."""
    if not alerts:
        return None
    lines = ["[%s] %d alert(s)" % (service, len(alerts))]
    for name, severity, count in alerts:
        lines.append("  %-8s %s (x%d)" % (severity.upper(), name, count))
    return "\n".join(lines)
''', None),
"py-input-val-001": (r'''
def link_header(base_url, req, total):
    """RFC 8288 Link header with next/prev relations."""
    links = []
    last_page = max(1, -(-total // req["per_page"]))
    if req["page"] < last_page:
        links.append('<%s?page=%d&per_page=%d>; rel="next"' % (base_url, req["page"] + 1, req["per_page"]))
    if req["page"] > 1:
        links.append('<%s?page=%d&per_page=%d>; rel="prev"' % (base_url, req["page"] - 1, req["per_page"]))
    return ", ".join(links)
''', None),
"js-api-misuse-003": (r'''
function allowHeader(path) {
  const key = routeKey(path);
  return key === null ? null : [...ROUTES[key], 'OPTIONS'].join(', ');
}
''', ["allowHeader"]),
"js-missing-cond-001": (r'''
function stringifyQuery(obj) {
  const parts = [];
  for (const [k, v] of Object.entries(obj)) {
    for (const item of toArray(v)) {
      parts.push(`${encodeURIComponent(k)}=${encodeURIComponent(item)}`);
    }
  }
  return parts.join('&');
}
''', ["stringifyQuery"]),
"js-negated-001": (r'''
function preflightResponse(policy, req) {
  const headers = corsHeaders(policy, req);
  const allowed = 'Access-Control-Allow-Origin' in headers;
  return { status: allowed ? 204 : 403, headers };
}
''', ["preflightResponse"]),
"js-wrong-var-001": (r'''
function missingVariables(template, ctx) {
  return variables(template).filter((name) => lookup(ctx, name) === undefined);
}
''', ["missingVariables"]),
"js-wrong-var-003": (r'''
function toCsv(counts, header = ['key', 'count']) {
  const lines = [header.join(',')];
  for (const [k, v] of Object.entries(counts)) {
    const cell = /[",\n]/.test(k) ? `"${k.replace(/"/g, '""')}"` : k;
    lines.push(`${cell},${v}`);
  }
  return lines.join('\n');
}
''', ["toCsv"]),
"py-inf-loop-002": (r'''
def truncate(text, limit, ellipsis="..."):
    if len(text) <= limit:
        return text
    return text[:max(0, limit - len(ellipsis))].rstrip() + ellipsis
''', None),
"py-missing-init-002": (r'''
def hourly_series(timestamps):
    """Counts per hour in chronological order, as (hour, count) pairs."""
    counts = per_hour(timestamps)
    return [(h, counts[h]) for h in sorted(counts)]
''', None),
"js-api-misuse-002": (r'''
function usage(spec) {
  return Object.entries(spec)
    .map(([name, def]) => `  --${name}  (env ${envName(name)}, default ${JSON.stringify(def)})`)
    .join('\n');
}
''', ["usage"]),
"js-input-val-002": (r'''
function nextRun(lastRunMs, every) {
  return lastRunMs + parseDuration(every);
}
''', ["nextRun"]),
"js-uncaught-001": (r'''
function jsonResponse(status, body) {
  const text = JSON.stringify(body);
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(text)) },
    body: text,
  };
}
''', ["jsonResponse"]),
"js-uncaught-002": (r'''
function buildPath(pattern, params) {
  return pattern
    .split('/')
    .map((part) => (part.startsWith(':') ? encodeURIComponent(params[part.slice(1)] ?? '') : part))
    .join('/');
}
''', ["buildPath"]),
"py-inf-loop-001": (r'''

def build_index(lines, every=100):
    """Index every `every`-th line of [(ts, offset), ...]."""
    idx = TimeIndex()
    for n, (ts, offset) in enumerate(lines):
        if n % every == 0:
            idx.add(ts, offset)
    return idx
''', None),
"py-off-by-one-002": (r'''
def format_lines(lines, numbered=False):
    if not numbered:
        return "\n".join(lines)
    width = len(str(len(lines)))
    return "\n".join("%*d  %s" % (width, i, l) for i, l in enumerate(lines, start=1))
''', None),
"py-resource-002": (r'''
def dependents(sources, name):
    """Names of sources that (directly) include `name`."""
    return sorted(n for n, doc in sources.items() if name in doc.get("include", []))
''', None),
}

