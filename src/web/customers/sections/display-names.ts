import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';

type CodeKind = 'region' | 'currency';

function displayNames(language: string, type: CodeKind): Intl.DisplayNames | null {
  try {
    return new Intl.DisplayNames([language], { type });
  } catch {
    return null;
  }
}

/** A country or currency named in the interface language (`CN` → "China" / "中国"); the code itself when the browser has no name. */
export function useDisplayName(type: CodeKind): (code: string) => string {
  const { i18n } = useTranslation();
  const language = i18n.resolvedLanguage ?? i18n.language;
  return useMemo(() => {
    const names = displayNames(language, type);
    return (code: string) => {
      try {
        return names?.of(code) ?? code;
      } catch {
        return code;
      }
    };
  }, [language, type]);
}

/** A select's choices for codes: the usual ones first, then the rest by name in the interface language, each with its code. */
export function useCodeOptions(type: CodeKind, codes: readonly string[], usual: readonly string[]): { value: string; label: string }[] {
  const { i18n } = useTranslation();
  const language = i18n.resolvedLanguage ?? i18n.language;
  const nameOf = useDisplayName(type);
  return useMemo(() => {
    const collator = new Intl.Collator(language);
    const option = (code: string) => ({ value: code, label: `${nameOf(code)} (${code})` });
    const first = usual.filter((code) => codes.includes(code)).map(option);
    const rest = codes
      .filter((code) => !usual.includes(code))
      .map(option)
      .sort((a, b) => collator.compare(a.label, b.label));
    return [...first, ...rest];
  }, [language, nameOf, codes, usual]);
}
