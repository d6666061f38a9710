// Small DOM helpers shared by the worksheet modules. Text always goes in through
// textContent, never as HTML.

/** An element with properties set and optional text content. */
export function el(tag, props = {}, text) {
  const node = Object.assign(document.createElement(tag), props);
  if (text !== undefined) node.textContent = text;
  return node;
}

const formats = {};
const format = (sameDay) =>
  (formats[sameDay] ??= new Intl.DateTimeFormat("zh-CN", sameDay
    ? { hour12: false, hour: "2-digit", minute: "2-digit", second: "2-digit" }
    : { hour12: false, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit" }));

/** A saved time for the reader: the clock time today, else the date and time. */
export function timeText(iso) {
  const d = new Date(iso);
  return format(d.toDateString() === new Date().toDateString()).format(d);
}
