import { i18n } from '../i18n/index.ts';

export interface FieldError {
  path: string;
  code: string;
  message: string;
}

/** The server's error body: a stable code, a message already in the caller's language, and details. */
export interface ErrorBody {
  code: string;
  message: string;
  fields?: FieldError[];
  current?: unknown;
}

export class ApiError extends Error {
  readonly status: number;
  readonly body: ErrorBody;
  constructor(status: number, body: ErrorBody) {
    super(body.message);
    this.status = status;
    this.body = body;
  }
}

type Query = Record<string, string | number | boolean | null | undefined | string[]>;

export function withQuery(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue;
    if (Array.isArray(v)) {
      if (v.length) params.set(k, v.join(','));
    } else params.set(k, String(v));
  }
  const s = params.toString();
  return s ? `${path}?${s}` : path;
}

async function parseError(res: Response): Promise<ApiError> {
  let body: ErrorBody;
  try {
    const j = (await res.json()) as Partial<ErrorBody>;
    body = { code: j.code ?? 'error', message: j.message ?? res.statusText, fields: j.fields, current: j.current };
  } catch {
    body = { code: res.status >= 500 ? 'internal' : 'error', message: i18n.t('error.http', { status: res.status }) };
  }
  return new ApiError(res.status, body);
}

/** fetch with the session cookie, the UI language as Accept-Language, JSON in and out. */
export async function api<T>(path: string, init: { method?: string; body?: unknown; query?: Query; signal?: AbortSignal; headers?: Record<string, string> } = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', 'Accept-Language': i18n.language || 'zh-CN', ...init.headers };
  let body: BodyInit | undefined;
  if (init.body instanceof FormData) body = init.body;
  else if (init.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(init.body);
  }
  let res: Response;
  try {
    res = await fetch(withQuery(path, init.query), { method: init.method ?? 'GET', headers, body, credentials: 'same-origin', signal: init.signal });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError(0, { code: 'network', message: i18n.t('error.network') });
  }
  if (!res.ok) throw await parseError(res);
  if (res.status === 204) return undefined as T;
  const type = res.headers.get('content-type') ?? '';
  return (type.includes('json') ? await res.json() : await res.text()) as T;
}

export function errorMessage(e: unknown): string {
  if (e instanceof ApiError) return e.body.message;
  if (e instanceof Error) return e.message;
  return String(e);
}
