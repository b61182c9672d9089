// The post-processor of a BERT-style tokenizer.json (transformers' convert_slow_tokenizer.py, BertConverter and
// DebertaV2Converter): `[CLS] A [SEP]`, pairs `[CLS] A [SEP] B [SEP]` with type ids 0 then 1.

/** The `TemplateProcessing` object for these special tokens and their ids. */
export function clsSepTemplate(clsToken: string, cls: number, sepToken: string, sep: number): Record<string, unknown> {
  const special = (token: string, typeId: number): Record<string, unknown> => ({ SpecialToken: { id: token, type_id: typeId } });
  const sequence = (id: string, typeId: number): Record<string, unknown> => ({ Sequence: { id, type_id: typeId } });
  return {
    type: 'TemplateProcessing',
    single: [special(clsToken, 0), sequence('A', 0), special(sepToken, 0)],
    pair: [special(clsToken, 0), sequence('A', 0), special(sepToken, 0), sequence('B', 1), special(sepToken, 1)],
    special_tokens: {
      [clsToken]: { id: clsToken, ids: [cls], tokens: [clsToken] },
      [sepToken]: { id: sepToken, ids: [sep], tokens: [sepToken] },
    },
  };
}
