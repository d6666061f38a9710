// What the entry list shows: search, groups (by agent, or by worksheet) and pages.
// Pure: entries in, a view out. No DOM, no storage, so `node --test tests/js/` checks
// it (tests/js/listing.test.mjs). Costs one pass over the entries plus a stable sort
// by group: fine at thousands of entries; only one page is ever drawn.

export const PAGE_SIZE = 20;
/** Group label of entries that name no agent. */
export const NO_PERSON = "未指定人员";

/** Text as the search compares it: width-folded (full-width letters and digits) and lower case. */
export const fold = (s) => String(s ?? "").normalize("NFKC").toLowerCase();

const collator = typeof Intl !== "undefined" && Intl.Collator ? new Intl.Collator("zh-Hans-CN") : null;
const compareText = (a, b) => (collator ? collator.compare(a, b) : a < b ? -1 : a > b ? 1 : 0);

/**
 * @param {object[]} entries newest first (the order is kept inside every group)
 * @param {{query?: string, page?: number, pageSize?: number, groupBy?: "person"|"worksheet"|null,
 *   people?: Map<string, string>, titles?: Record<string, string>, firstSlug?: string}} o
 *   people: person id → name; titles: slug → worksheet title; firstSlug: the worksheet
 *   whose group comes first (the page's own).
 * @returns {{total: number, matched: number, page: number, pages: number, from: number, to: number,
 *   groups: {key: string, label: string, items: object[]}[]}}
 *   from/to: 1-based positions of the page's first and last entry among the matches.
 */
export function entryView(entries, { query = "", page = 0, pageSize = PAGE_SIZE, groupBy = null, people = new Map(), titles = {}, firstSlug = "" } = {}) {
  const personName = (e) => (typeof e.person === "string" && e.person ? people.get(e.person) || "" : "");
  const terms = fold(query).split(/\s+/).filter(Boolean);
  let matches = entries;
  if (terms.length) {
    matches = entries.filter((e) => {
      const hay = fold(`${e.name}\n${personName(e)}\n${titles[e.worksheet] || e.worksheet}\n${typeof e.period === "string" ? e.period : ""}`);
      return terms.every((t) => hay.includes(t));
    });
  }
  // Group by agent only when some entry names one.
  const by = groupBy === "person" && !matches.some((e) => typeof e.person === "string" && e.person) ? null : groupBy;
  const groupOf = (e) => {
    if (by === "worksheet") return { key: `w:${e.worksheet}`, label: titles[e.worksheet] || e.worksheet, sort: [e.worksheet === firstSlug ? 0 : 1, titles[e.worksheet] || e.worksheet] };
    if (by === "person") {
      const name = personName(e);
      if (!name) return { key: "p:", label: NO_PERSON, sort: [2, ""] };
      return { key: `p:${e.person}`, label: name, sort: [1, name] };
    }
    return { key: "", label: "", sort: [0, ""] };
  };
  let ordered = matches;
  const info = new Map();
  if (by) {
    const tagged = matches.map((e) => {
      const g = groupOf(e);
      if (!info.has(g.key)) info.set(g.key, g);
      return [g.key, e];
    });
    const rank = new Map(
      [...info.values()]
        .sort((a, b) => a.sort[0] - b.sort[0] || compareText(a.sort[1], b.sort[1]) || (a.key < b.key ? -1 : 1))
        .map((g, i) => [g.key, i]),
    );
    tagged.sort((a, b) => rank.get(a[0]) - rank.get(b[0])); // stable: newest first inside a group
    ordered = tagged;
  }
  const matched = matches.length;
  const pages = Math.max(1, Math.ceil(matched / pageSize));
  const p = Math.min(Math.max(0, Math.floor(page) || 0), pages - 1);
  const slice = ordered.slice(p * pageSize, (p + 1) * pageSize);
  const groups = [];
  for (const item of slice) {
    const [key, e] = by ? item : ["", item];
    let g = groups[groups.length - 1];
    if (!g || g.key !== key) {
      g = { key, label: by ? info.get(key).label : "", items: [] };
      groups.push(g);
    }
    g.items.push(e);
  }
  return { total: entries.length, matched, page: p, pages, from: matched ? p * pageSize + 1 : 0, to: p * pageSize + slice.length, groups };
}
