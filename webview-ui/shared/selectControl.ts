// A labelled <vscode-single-select> built from (value, text) options, with a typed change callback.
import { createElement } from './createElement';

export interface SelectControl {
  element: HTMLElement;
  /** The select itself, for reading or setting `value`. */
  select: HTMLElement & { value: string };
  setValue(value: string): void;
}

/** Creates a labelled single-select; option texts are inserted as text. */
export function createSelectControl(label: string, options: Array<[string, string]>, value: string, onChange: (value: string) => void, id: string): SelectControl {
  const select = createElement('vscode-single-select', { attrs: { id, 'aria-label': label } }) as HTMLElement & { value: string };
  for (const [v, text] of options) {
    const option = createElement('vscode-option', { attrs: { value: v } }, text);
    if (v === value) option.setAttribute('selected', '');
    select.append(option);
  }
  select.addEventListener('change', () => onChange(select.value));
  const element = createElement('label', { attrs: { for: id } }, createElement('span', {}, label), select);
  return { element, select, setValue: (v) => { select.value = v; } };
}
