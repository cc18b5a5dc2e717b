import { Component, type ReactNode } from 'react';
import { i18n } from '../i18n/index.ts';

interface State {
  error: Error | null;
}

/** Keeps the shell (navigation, sign-out) usable when one page fails to render. */
export class ErrorBoundary extends Component<{ children: ReactNode; resetKey?: string }, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: Error): State {
    return { error };
  }

  override componentDidUpdate(prev: { resetKey?: string }) {
    if (prev.resetKey !== this.props.resetKey && this.state.error) this.setState({ error: null });
  }

  override render() {
    if (!this.state.error) return this.props.children;
    return (
      <div className="page">
        <div className="alert alert-error" role="alert">
          <span>
            {i18n.t('common.pageError')} {this.state.error.message}
          </span>
          <button className="btn btn-sm" onClick={() => this.setState({ error: null })}>
            {i18n.t('common.retry')}
          </button>
        </div>
      </div>
    );
  }
}
