// The chat and the files of a card, as two tabs (the same tab styling as the export form's).
import { useRef, useState, type KeyboardEvent } from 'react';
import { useI18n, type MessageKey } from '../common/i18n';
import { ChatTab } from './ChatTab';
import { FilesTab } from './FilesTab';

const TABS = [
  { id: 'chat', label: 'ncircc.tab.chat' },
  { id: 'files', label: 'ncircc.tab.files' },
] as const satisfies ReadonlyArray<{ id: string; label: MessageKey }>;
type TabId = (typeof TABS)[number]['id'];

/** The files are read again when `generation` changes (the section's Refresh), the chat when `chatGeneration` does. */
export function CardTabs({ incidentId, generation, chatGeneration }: { incidentId: string; generation: number; chatGeneration: number }) {
  const { t } = useI18n();
  const [current, setCurrent] = useState<TabId>('chat');
  const refs = useRef<Partial<Record<TabId, HTMLButtonElement | null>>>({});
  const onKeyDown = (e: KeyboardEvent, index: number) => {
    const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
    if (!step) return;
    const next = TABS[(index + step + TABS.length) % TABS.length].id;
    setCurrent(next);
    refs.current[next]?.focus();
  };
  return (
    <div className="card-tabs">
      <div role="tablist" aria-label={t('ncircc.tabs')} className="tablist">
        {TABS.map((tab, index) => (
          <button
            key={tab.id}
            ref={(el) => {
              refs.current[tab.id] = el;
            }}
            type="button"
            role="tab"
            id={`ncircc-tab-${tab.id}`}
            aria-selected={tab.id === current}
            aria-controls={`ncircc-panel-${tab.id}`}
            tabIndex={tab.id === current ? 0 : -1}
            className={`tab${tab.id === current ? ' tab-selected' : ''}`}
            onClick={() => setCurrent(tab.id)}
            onKeyDown={(e) => onKeyDown(e, index)}
          >
            {t(tab.label)}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`ncircc-panel-${current}`} aria-labelledby={`ncircc-tab-${current}`} className="tabpanel">
        {current === 'chat' ? <ChatTab incidentId={incidentId} generation={chatGeneration} /> : <FilesTab incidentId={incidentId} generation={generation} />}
      </div>
    </div>
  );
}
