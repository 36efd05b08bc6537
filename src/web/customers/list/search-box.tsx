import { TextInput } from '@mantine/core';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { SearchIcon } from '../icons.js';
import { MAX_Q } from '../search-query.js';

/** Long enough to finish a word (or a pinyin syllable) before the list is asked again. */
const SEARCH_DELAY_MS = 400;

/**
 * The one search box: whatever is typed (a name, an email, a phone number in any format, an ID
 * number, any word) goes to the server as `q` a moment after typing stops, or at once on Enter.
 * Each search is an audited read, hence the pause rather than a request per key.
 */
export function SearchBox({ value, onSearch }: { value: string; onSearch: (q: string) => void }) {
  const { t } = useTranslation();
  const [text, setText] = useState(value);
  const [shown, setShown] = useState(value);
  // The address changed elsewhere (a view, Back, "clear"): show that, unless it is what was typed.
  if (value !== shown) {
    setShown(value);
    if (value !== text.trim()) setText(value);
  }
  const search = useRef(onSearch);
  useEffect(() => {
    search.current = onSearch;
  }, [onSearch]);

  useEffect(() => {
    const next = text.trim();
    if (next === value) return;
    const timer = setTimeout(() => search.current(next), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [text, value]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (text.trim() !== value) onSearch(text.trim());
  };

  return (
    <form onSubmit={submit} role="search" style={{ flex: '1 1 16rem', minWidth: 0 }}>
      <TextInput
        aria-label={t('customers.list.search')}
        placeholder={t('customers.list.searchPlaceholder')}
        leftSection={<SearchIcon />}
        value={text}
        onChange={(event) => setText(event.currentTarget.value)}
        type="search"
        maxLength={MAX_Q}
        autoComplete="off"
        spellCheck={false}
        data-testid="customer-search"
      />
    </form>
  );
}
