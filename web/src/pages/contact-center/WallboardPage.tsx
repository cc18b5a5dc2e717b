// The wallboard (实时监控大屏): queue state pushed by the server over server-sent events. Big tiles that
// read from across a room: calls waiting and the longest wait per queue, today's service level against
// the queue's goal, and agents by state. Full screen for a wall display.
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Icon } from '../../components/Icon.tsx';
import { useNow } from '../../components/useNow.ts';
import { agentStateList, CC, formatClock, formatRate, useQueues, type Wallboard } from './ccApi.ts';

type Link = 'connecting' | 'live' | 'retrying';

/** The latest wallboard from the SSE stream; EventSource reconnects by itself after a drop. */
function useWallboardStream(): { board: Wallboard | null; link: Link } {
  const [board, setBoard] = useState<Wallboard | null>(null);
  const [link, setLink] = useState<Link>('connecting');
  useEffect(() => {
    const es = new EventSource(`${CC}/wallboard/stream?intervalSeconds=5`, { withCredentials: true });
    const onBoard = (e: MessageEvent<string>) => {
      setBoard(JSON.parse(e.data) as Wallboard);
      setLink('live');
    };
    es.addEventListener('wallboard', onBoard);
    es.onerror = () => setLink('retrying');
    return () => {
      es.removeEventListener('wallboard', onBoard);
      es.close();
    };
  }, []);
  return { board, link };
}

function slClass(sl: number | null, goal: number | undefined): string {
  if (sl === null || goal === undefined) return '';
  if (sl >= goal) return 'cc-good';
  if (sl >= goal - 0.1) return 'cc-warn';
  return 'cc-bad';
}

export function WallboardPage() {
  const { t, i18n } = useTranslation();
  const { board, link } = useWallboardStream();
  const queues = useQueues();
  const now = useNow(1000);
  const root = useRef<HTMLDivElement>(null);
  const goals = new Map((queues.data?.items ?? []).map((q) => [q.id, q]));
  // The longest wait keeps growing between pushes: add the seconds since the board was computed.
  const since = board ? Math.max(0, (now - new Date(board.at).getTime()) / 1000) : 0;
  const totalAgents = board ? agentStateList.reduce((s, k) => s + (board.agents[k] ?? 0), 0) : 0;

  return (
    <div className="page cc-wallboard" ref={root} data-testid="wallboard">
      <div className="page-header">
        <div>
          <h1 className="page-title">{t('cc.nav.wallboard')}</h1>
          <p className="page-sub muted">
            <span className={`cc-link cc-link-${link}`} data-testid="wallboard-link">
              {t(`cc.wallboard.link.${link}`)}
            </span>
            {board && <> · {t('cc.wallboard.updated', { time: new Date(board.at).toLocaleTimeString(i18n.language === 'en' ? 'en-GB' : 'zh-CN', { hour12: false }) })}</>}
          </p>
        </div>
        <div className="page-actions">
          <button className="btn" onClick={() => void (document.fullscreenElement ? document.exitFullscreen() : root.current?.requestFullscreen())}>
            <Icon name="eye" />
            {t('cc.wallboard.fullscreen')}
          </button>
        </div>
      </div>
      {!board ? (
        <div className="empty">{t('common.loading')}</div>
      ) : (
        <>
          <div className="cc-agent-tiles" data-testid="wallboard-agents">
            {agentStateList.map((s) => (
              <div key={s} className={`cc-agent-tile cc-state-${s}`} data-testid={`wallboard-agents-${s}`}>
                <div className="cc-tile-value">{board.agents[s] ?? 0}</div>
                <div className="cc-tile-label">{t(`cc.state.${s}`)}</div>
              </div>
            ))}
            <div className="cc-agent-tile">
              <div className="cc-tile-value">{totalAgents}</div>
              <div className="cc-tile-label">{t('cc.wallboard.agentsTotal')}</div>
            </div>
          </div>
          {!board.queues.length && <div className="empty">{t('cc.queues.empty')}</div>}
          <div className="cc-queue-tiles">
            {board.queues.map((q) => {
              const goal = goals.get(q.queueId);
              const longest = q.longestWaitSeconds === null ? null : q.longestWaitSeconds + (q.waiting ? since : 0);
              const overTarget = goal && longest !== null && longest > goal.targetSeconds;
              return (
                <section key={q.queueId} className="cc-queue-tile" data-testid="wallboard-queue" data-queue={q.key}>
                  <h2 className="cc-queue-name">{q.name}</h2>
                  <div className="cc-queue-main">
                    <div>
                      <div className={`cc-big ${q.waiting ? 'cc-waiting' : ''}`} data-testid="wallboard-waiting">
                        {q.waiting}
                      </div>
                      <div className="cc-tile-label">{t('cc.wallboard.waiting')}</div>
                    </div>
                    <div>
                      <div className={`cc-big ${overTarget ? 'cc-bad' : ''}`} data-testid="wallboard-longest">
                        {formatClock(longest)}
                      </div>
                      <div className="cc-tile-label">{t('cc.wallboard.longestWait')}</div>
                    </div>
                    <div>
                      <div className={`cc-big ${slClass(q.serviceLevelToday, goal?.serviceLevelGoal)}`} data-testid="wallboard-sl">
                        {formatRate(q.serviceLevelToday)}
                      </div>
                      <div className="cc-tile-label">
                        {goal ? t('cc.wallboard.serviceLevelGoal', { pct: Math.round(goal.serviceLevelGoal * 100), s: goal.targetSeconds }) : t('cc.kpi.serviceLevel')}
                      </div>
                    </div>
                  </div>
                  <div className="cc-queue-foot">
                    <span>
                      {t('cc.kpi.offered')} <b data-testid="wallboard-offered">{q.offeredToday}</b>
                    </span>
                    <span>
                      {t('cc.kpi.answered')} <b data-testid="wallboard-answered">{q.answeredToday}</b>
                    </span>
                    <span>
                      {t('cc.kpi.abandoned')} <b data-testid="wallboard-abandoned">{q.abandonedToday}</b>
                    </span>
                  </div>
                </section>
              );
            })}
          </div>
        </>
      )}
    </div>
  );
}
