// A title as a file name: lower-case ASCII words joined by hyphens, accents dropped, at most
// 60 characters, so that a runbook's or an investigation's file name reads like its title
// and can hold no path separator or dot-dot.

/** `Accès refusé: énumération!` → `acces-refuse-enumeration`; `empty` when nothing is left. */
export function slugOf(title: string, empty: string): string {
  const slug = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return slug || empty;
}
