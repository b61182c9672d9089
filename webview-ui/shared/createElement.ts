// Builds DOM nodes without ever parsing HTML: strings always become text nodes, so dataset text cannot inject markup.

type Child = Node | string | number | null | undefined | false;

export interface ElementProps {
  className?: string;
  /** data-* attributes. */
  data?: Record<string, string>;
  /** Plain attributes (title, role, aria-*, tabindex, slot...). Event-handler attributes are refused. */
  attrs?: Record<string, string | number | boolean>;
}

/** Creates an element with text-only children. */
export function createElement<K extends keyof HTMLElementTagNameMap>(tag: K, props?: ElementProps, ...children: Child[]): HTMLElementTagNameMap[K];
export function createElement(tag: string, props?: ElementProps, ...children: Child[]): HTMLElement;
export function createElement(tag: string, props: ElementProps = {}, ...children: Child[]): HTMLElement {
  const el = document.createElement(tag);
  if (props.className) el.className = props.className;
  if (props.data) for (const [k, v] of Object.entries(props.data)) el.dataset[k] = v;
  if (props.attrs) {
    for (const [k, v] of Object.entries(props.attrs)) {
      // Handlers and inline styles are blocked by the CSP anyway; refusing them here keeps the code honest.
      if (/^on/i.test(k) || k === 'style') throw new Error(`createElement: attribute ${k} is not allowed`);
      if (v === false) continue;
      el.setAttribute(k, v === true ? '' : String(v));
    }
  }
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.append(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
  }
  return el;
}
