/**
 * A plain HTML error page, shown instead of a redirect when the client or redirect URI cannot be
 * trusted (FED-ARESP-08). Every interpolated value is HTML-escaped.
 */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

export function errorPage(title: string, message: string, code?: string): string {
  const codeHtml = code ? `<p>Error code: <code>${escapeHtml(code)}</code></p>` : "";
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} - NHS login simulator</title></head>
<body><main><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p>${codeHtml}</main></body></html>`;
}
