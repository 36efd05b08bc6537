import { Notification, Portal, Stack } from '@mantine/core';
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

type Tone = 'success' | 'info' | 'error';
interface Note {
  id: number;
  message: string;
  tone: Tone;
}

const COLORS: Record<Tone, string> = { success: 'teal', info: 'blue', error: 'red' };
const VISIBLE_MS = 5000;

const NotifyContext = createContext<(message: string, tone?: Tone) => void>(() => undefined);

/** Brief confirmations in a corner ("Saved"); @mantine/notifications is not part of the stack. */
export function NotificationsProvider({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const [notes, setNotes] = useState<Note[]>([]);
  const nextId = useRef(1);
  const timers = useRef(new Map<number, ReturnType<typeof setTimeout>>());

  const dismiss = useCallback((id: number) => {
    clearTimeout(timers.current.get(id));
    timers.current.delete(id);
    setNotes((current) => current.filter((note) => note.id !== id));
  }, []);

  const notify = useCallback(
    (message: string, tone: Tone = 'success') => {
      const id = nextId.current++;
      setNotes((current) => [...current.slice(-2), { id, message, tone }]);
      timers.current.set(id, setTimeout(() => dismiss(id), VISIBLE_MS));
    },
    [dismiss],
  );

  useEffect(() => {
    const pending = timers.current;
    return () => pending.forEach((timer) => clearTimeout(timer));
  }, []);

  const value = useMemo(() => notify, [notify]);
  return (
    <NotifyContext.Provider value={value}>
      {children}
      <Portal>
        <Stack
          gap="xs"
          pos="fixed"
          bottom={16}
          right={16}
          left={16}
          maw={420}
          ml="auto"
          style={{ zIndex: 1000, pointerEvents: notes.length ? 'auto' : 'none' }}
          role="status"
          aria-live="polite"
        >
          {notes.map((note) => (
            <Notification key={note.id} color={COLORS[note.tone]} withBorder closeButtonProps={{ 'aria-label': t('common.dismiss') }} onClose={() => dismiss(note.id)}>
              {note.message}
            </Notification>
          ))}
        </Stack>
      </Portal>
    </NotifyContext.Provider>
  );
}

export function useNotify(): (message: string, tone?: Tone) => void {
  return useContext(NotifyContext);
}
