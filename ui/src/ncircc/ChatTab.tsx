// The chat with NCIRCC: its experts' comments and ours in one thread, oldest first (newest last), and a box to send
// one (at most 5000 characters; the service refuses more and sends each comment once).
import { useState, type FormEvent } from 'react';
import { api } from '../common/api';
import { Loading, ProblemBanner, useLoad } from '../common/components';
import { formatDateTime, useI18n } from '../common/i18n';
import { sendStateText } from './labels';
import type { CommentList, CommentView } from '../common/api-types';
import { cardPath } from './types';

export const MAX_COMMENT = 5000;

export function ChatTab({ incidentId, generation }: { incidentId: string; generation: number }) {
  const { t, lang } = useI18n();
  const chat = useLoad(() => api.get<CommentList>(cardPath(incidentId, '/comments')), [incidentId, generation]);
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const send = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.post<CommentView>(cardPath(incidentId, '/comments'), { text });
      setText('');
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
      chat.reload();
    }
  };

  return (
    <div className="chat">
      <ProblemBanner error={chat.error} />
      {chat.loading && !chat.data ? <Loading /> : null}
      {chat.data?.items.length === 0 ? <p className="muted">{t('ncircc.chat.empty')}</p> : null}
      <ol className="plain-ol chat-thread" aria-label={t('ncircc.chat.thread')} data-testid="ncircc-chat">
        {chat.data?.items.map((c) => (
          <li key={c.id} className={`chat-item chat-${c.direction}`} data-direction={c.direction}>
            <div className="small muted">
              <span>{c.direction === 'in' ? t('ncircc.chat.fromNcircc', { author: c.author }) : t('ncircc.chat.fromUs', { author: c.author })}</span>
              {' · '}
              <time dateTime={c.at}>{formatDateTime(c.at, lang)}</time>
              {c.direction === 'out' && c.state !== 'sent' ? <> · {sendStateText(t, c.state)}</> : null}
            </div>
            <p className="pre chat-text">{c.text}</p>
          </li>
        ))}
      </ol>
      <form onSubmit={send} className="chat-form">
        <div className="field">
          <label htmlFor="ncircc-comment">{t('ncircc.chat.label')}</label>
          <textarea id="ncircc-comment" rows={3} value={text} onChange={(e) => setText(e.target.value)} aria-describedby="ncircc-comment-count" />
          <span id="ncircc-comment-count" className={`small ${text.length > MAX_COMMENT ? 'overdue' : 'muted'}`}>
            {t('ncircc.chat.count', { count: text.length, max: MAX_COMMENT })}
          </span>
        </div>
        <ProblemBanner error={error} fieldErrors />
        <div className="actions">
          <button type="submit" className="btn btn-primary" disabled={busy || !text.trim()}>
            {busy ? t('ncircc.sending') : t('ncircc.chat.send')}
          </button>
        </div>
      </form>
    </div>
  );
}
