/**
 * How catalog entries are declared. The message template's `{name}` holes become the typed parameters of the
 * entry's factory, so a call site cannot forget or misspell one (svelte's messages → typed functions, but
 * checked by the type system instead of generated).
 */
import type { Span } from "../source.js";
import type { Diagnostic, DiagnosticCode, RelatedInfo, Severity } from "./diagnostic.js";

type Holes<S extends string> = S extends `${string}{${infer P}}${infer Rest}` ? P | Holes<Rest> : never;

/** The parameters a template needs: one string or number per `{hole}`. */
export type TemplateParams<S extends string> = { readonly [K in Holes<S>]: string | number };

export interface CatalogEntry<M extends string = string> {
  readonly code: DiagnosticCode;
  readonly severity: Severity;
  /** Short name used in docs headings. */
  readonly title: string;
  /** Message template with `{param}` holes. */
  readonly message: M;
  /** Default help line (may use the same holes). */
  readonly help?: string;
  /** Longer markdown explanation for the generated error reference. */
  readonly doc: string;
}

export interface Extra {
  readonly related?: readonly RelatedInfo[];
  readonly help?: string;
}

/** A catalog entry plus its factory. */
export interface DiagnosticFactory<M extends string> extends CatalogEntry<M> {
  (sourceId: string, span: Span | undefined, params: TemplateParams<M>, extra?: Extra): Diagnostic;
}

/** Fill `{hole}`s from params; unknown holes are left as written. */
export function renderTemplate(template: string, params: Readonly<Record<string, string | number>>): string {
  return template.replace(/\{([A-Za-z0-9_]+)\}/g, (whole, name: string) => {
    const v = params[name];
    return v === undefined ? whole : String(v);
  });
}

/** Declare one catalog entry. */
export function define<const M extends string>(entry: CatalogEntry<M>): DiagnosticFactory<M> {
  const factory = (sourceId: string, span: Span | undefined, params: TemplateParams<M>, extra?: Extra) => {
    const p = params as Readonly<Record<string, string | number>>;
    const help = extra?.help ?? (entry.help === undefined ? undefined : renderTemplate(entry.help, p));
    const d: Diagnostic = {
      code: entry.code,
      severity: entry.severity,
      message: renderTemplate(entry.message, p),
      sourceId,
      span,
      ...(extra?.related && extra.related.length > 0 ? { related: extra.related } : {}),
      ...(help !== undefined ? { help } : {}),
      data: { ...p },
    };
    return d;
  };
  return Object.assign(factory, entry) as DiagnosticFactory<M>;
}
