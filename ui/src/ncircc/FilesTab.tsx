// The card's files as NCIRCC lists them (with the state of those we attached), an upload (one file, at most 50 MB,
// streamed to NCIRCC by the service) and downloads. A download carries the bearer token, so it is fetched and
// handed to the browser as a blob rather than opened as a plain link.
import { useRef, useState, type FormEvent } from 'react';
import { api } from '../common/api';
import { Loading, ProblemBanner, useLoad } from '../common/components';
import { formatDateTime, useI18n } from '../common/i18n';
import { sendStateText } from './labels';
import type { FileList, FileView } from '../common/api-types';
import { cardPath } from './types';

function size(bytes: number | undefined, lang: string): string {
  if (bytes === undefined) return '';
  return bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toLocaleString(lang, { maximumFractionDigits: 1 })} KiB`;
}

async function saveFile(incidentId: string, file: FileView): Promise<void> {
  const blob = await api.blob(cardPath(incidentId, `/files/${encodeURIComponent(file.id)}`));
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = file.filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export function FilesTab({ incidentId, generation }: { incidentId: string; generation: number }) {
  const { t, lang } = useI18n();
  const files = useLoad(() => api.get<FileList>(cardPath(incidentId, '/files')), [incidentId, generation]);
  const input = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const upload = async (e: FormEvent) => {
    e.preventDefault();
    const file = input.current?.files?.[0];
    if (!file) return;
    setBusy(true);
    setError(null);
    try {
      const form = new FormData();
      form.append('file', file);
      await api.upload<FileView>(cardPath(incidentId, '/files'), form);
      if (input.current) input.current.value = '';
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
      files.reload();
    }
  };

  const download = (file: FileView) => saveFile(incidentId, file).catch(setError);

  return (
    <div className="files">
      <ProblemBanner error={files.error} />
      {files.loading && !files.data ? <Loading /> : null}
      {files.data?.items.length === 0 ? <p className="muted">{t('ncircc.files.empty')}</p> : null}
      {files.data?.items.length ? (
        <table className="table" data-testid="ncircc-files">
          <thead>
            <tr>
              <th scope="col">{t('ncircc.files.name')}</th>
              <th scope="col">{t('ncircc.files.size')}</th>
              <th scope="col">{t('ncircc.files.added')}</th>
              <th scope="col">{t('ncircc.files.origin')}</th>
            </tr>
          </thead>
          <tbody>
            {files.data.items.map((f) => (
              <tr key={f.id}>
                <td>
                  {!f.attachment || f.attachment.state === 'sent' ? (
                    <button
                      type="button"
                      className="btn btn-link"
                      onClick={() => void download(f)}
                      aria-label={t('ncircc.files.download', { name: f.filename })}
                    >
                      {f.filename}
                    </button>
                  ) : (
                    f.filename
                  )}
                </td>
                <td>{size(f.size, lang)}</td>
                <td>{f.addedAt ? <time dateTime={f.addedAt}>{formatDateTime(f.addedAt, lang)}</time> : null}</td>
                <td>{f.attachment ? `${t('ncircc.files.ours')} · ${sendStateText(t, f.attachment.state)}` : t('ncircc.files.theirs')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <form onSubmit={upload} className="inline-form">
        <div className="field">
          <label htmlFor="ncircc-file">{t('ncircc.files.choose')}</label>
          <input id="ncircc-file" type="file" ref={input} required />
          <span className="small muted">{t('ncircc.files.limit')}</span>
        </div>
        <div className="actions">
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {busy ? t('ncircc.sending') : t('ncircc.files.upload')}
          </button>
        </div>
      </form>
      <ProblemBanner error={error} fieldErrors />
    </div>
  );
}
