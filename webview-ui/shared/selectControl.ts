// A labelled <vscode-single-select> built from (value, text) options, with a typed change callback. Long lists can be
// a filterable combobox: typing filters the options, and text typed without choosing an option does not stay.
import { createElement } from './createElement';

export interface SelectControl {
  element: HTMLElement;
  /** The select itself, for reading or setting `value`. */
  select: HTMLElement & { value: string };
  setValue(value: string): void;
}

type SingleSelect = HTMLElement & { value: string; updateInputValue?: () => void };

/**
 * Creates a labelled single-select; option texts are inserted as text. The chosen option's text is also the select's
 * tooltip, so a label cut by the control's width can still be read.
 * @param options.combobox a text box that filters the options by what is typed (for long label lists).
 */
export function createSelectControl(label: string, options: Array<[string, string]>, value: string, onChange: (value: string) => void, id: string, settings: { combobox?: boolean } = {}): SelectControl {
  // `updateInputValue` (the combobox text back to the chosen option) is not in the element's public typings.
  const select = createElement('vscode-single-select', { attrs: { id, 'aria-label': label } }) as unknown as SingleSelect;
  const texts = new Map(options);
  for (const [v, text] of options) {
    const option = createElement('vscode-option', { attrs: { value: v, title: text } }, text);
    if (v === value) option.setAttribute('selected', '');
    select.append(option);
  }
  const showTooltip = () => { select.title = texts.get(select.value) ?? ''; };
  showTooltip();
  if (settings.combobox) makeFilteringCombobox(select);
  select.addEventListener('change', () => { showTooltip(); onChange(select.value); });
  const element = createElement('label', { attrs: { for: id } }, createElement('span', {}, label), select);
  return { element, select, setValue: (v) => { select.value = v; showTooltip(); } };
}

/**
 * Combobox mode with the behaviour a user expects: typed text filters the options (by substring), a click into the
 * box selects its text so typing replaces the chosen label instead of appending to it (Chrome's mouseup would
 * otherwise undo the select-all the element does on focus), and leaving the box without choosing an option puts the
 * chosen label back instead of keeping the typed text.
 */
function makeFilteringCombobox(select: SingleSelect): void {
  select.setAttribute('combobox', '');
  select.setAttribute('filter', 'contains');
  let justFocused = false;
  const input = (e: Event) => e.composedPath().find((t): t is HTMLInputElement => t instanceof HTMLInputElement);
  select.addEventListener('focusin', (e) => { if (input(e)) justFocused = true; });
  select.addEventListener('mouseup', (e) => {
    const box = input(e);
    if (justFocused && box) { e.preventDefault(); box.select(); }
    justFocused = false;
  });
  select.addEventListener('focusout', () => {
    justFocused = false;
    // After the option click (if any) has been applied.
    setTimeout(() => { if (!select.matches(':focus-within')) select.updateInputValue?.(); }, 0);
  });
}
