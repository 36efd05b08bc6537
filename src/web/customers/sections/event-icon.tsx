import { ThemeIcon } from '@mantine/core';
import type { ReactNode } from 'react';
import type { EventCategory } from './event-timeline.js';

/** Simple line drawings, one per kind of event (no icon library is part of the stack). */
const DRAWINGS: Record<EventCategory, ReactNode> = {
  commerce: (
    <>
      <path d="M6 7h12l-1 13H7L6 7Z" />
      <path d="M9 7a3 3 0 0 1 6 0" />
    </>
  ),
  message: (
    <>
      <rect x="3" y="5" width="18" height="14" rx="2" />
      <path d="m3 7 9 6 9-6" />
    </>
  ),
  account: (
    <>
      <circle cx="12" cy="8" r="4" />
      <path d="M4 21a8 8 0 0 1 16 0" />
    </>
  ),
  support: <path d="M4 5h16v11H9l-5 4V5Z" />,
  view: (
    <>
      <path d="M2 12s3.5-7 10-7 10 7 10 7-3.5 7-10 7S2 12 2 12Z" />
      <circle cx="12" cy="12" r="3" />
    </>
  ),
  other: <circle cx="12" cy="12" r="4" />,
};

export const CATEGORY_COLORS: Record<EventCategory, string> = { commerce: 'teal', message: 'grape', account: 'indigo', support: 'orange', view: 'blue', other: 'gray' };

/** The round badge beside an event on the timeline: its kind's colour and drawing. */
export function EventIcon({ category }: { category: EventCategory }) {
  return (
    <ThemeIcon variant="light" color={CATEGORY_COLORS[category]} radius="xl" size={28} aria-hidden>
      <svg width={16} height={16} viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth={2} strokeLinecap="round" strokeLinejoin="round">
        {DRAWINGS[category]}
      </svg>
    </ThemeIcon>
  );
}
