import { type JSX, StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { type Session, loadSession } from './api.js';
import { Layout } from './components/Layout.js';
import { Problem } from './components/ui.js';
import { Challenges } from './pages/Challenges.js';
import { Devices } from './pages/Devices.js';
import { EvaluationDetail } from './pages/EvaluationDetail.js';
import { Evaluations } from './pages/Evaluations.js';
import { Lists } from './pages/Lists.js';
import { Overview } from './pages/Overview.js';
import { People } from './pages/People.js';
import { Policies } from './pages/Policies.js';
import { Settings } from './pages/Settings.js';
import { Users } from './pages/Users.js';
import { navigate, usePath } from './router.js';
import './styles.css';

function App() {
  const [session, setSession] = useState<Session | null>(null);
  const [error, setError] = useState<unknown>(null);
  const path = usePath();
  useEffect(() => {
    loadSession().then(setSession, setError);
  }, []);
  if (error) return <Problem error={error} />;
  if (!session) return <p className="muted loading">Loading…</p>;
  const [pathname = '', search = ''] = path.split('?');
  const match = /^\/dashboard\/p\/([^/]+)\/?(.*)$/.exec(pathname);
  const projectId = match?.[1] ?? session.projects[0]?.id;
  if (!projectId) return <Problem error="No project yet: create one with `npx vigil project create`." />;
  if (!match) {
    navigate(`/dashboard/p/${projectId}/`);
    return null;
  }
  const rest = match[2] ?? '';
  const detail = /^evaluations\/([^/]+)$/.exec(rest);
  const pages: Record<string, () => JSX.Element> = {
    '': () => <Overview projectId={projectId} session={session} />,
    evaluations: () => <Evaluations projectId={projectId} search={search} />,
    users: () => <Users projectId={projectId} search={search} />,
    devices: () => <Devices projectId={projectId} />,
    people: () => <People projectId={projectId} search={search} />,
    policies: () => <Policies projectId={projectId} />,
    lists: () => <Lists projectId={projectId} />,
    challenges: () => <Challenges projectId={projectId} search={search} />,
    settings: () => <Settings projectId={projectId} session={session} />,
  };
  const page = detail ? <EvaluationDetail projectId={projectId} id={decodeURIComponent(detail[1]!)} /> : (pages[rest]?.() ?? <Problem error="No such page." />);
  return (
    <Layout session={session} projectId={projectId} path={pathname}>
      {page}
    </Layout>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
