// One channel interface for every way Kefu reaches a person (SMS, email, WeCom, DingTalk, in-app), and
// the registry that says which adapter delivers which channel. The default adapter is the outbox
// itself: the message stays in outbox_messages marked sent, so nothing external is needed to run.
//
// A network adapter (Alibaba Cloud SMS, Tencent Cloud SMS, WeCom/DingTalk robots) implements
// `ChannelAdapter` and is installed at the composition root from configuration:
//   registerChannelAdapter('sms', aliyunSmsAdapter({ accessKeyId, accessKeySecret, signName, templates }));
// None is implemented here. What they must do is written down in `SmsProviderSketch` below.
import type { MessageChannel } from './tables.ts';

/** A message as handed to an adapter: already consented, deduplicated and claimed by one dispatcher. */
export interface OutgoingMessage {
  id: string;
  orgId: string;
  channel: MessageChannel;
  recipient: string;
  subject: string | null;
  body: string;
  templateKey: string | null;
  templateParams: Record<string, string | number | boolean | null>;
  /** 1 on the first delivery attempt. */
  attempt: number;
}

export type DeliveryResult =
  | { ok: true; externalId?: string }
  /** `retryable`: a timeout or throttling (try again later); otherwise the provider refused it for good. */
  | { ok: false; error: string; retryable: boolean };

export interface ChannelAdapter {
  /** Stable name shown in logs ("outbox", "aliyun-sms", "tencent-sms", "wecom-robot"). */
  readonly name: string;
  /**
   * Deliver one message. Must not throw for a provider refusal (return `{ ok: false }`); a throw is
   * treated as retryable. Providers that accept an idempotency key should be given `message.id`, so a
   * dispatcher that crashed after the provider accepted but before marking the row does not send twice.
   */
  deliver(message: OutgoingMessage): Promise<DeliveryResult>;
}

/** The default: nothing leaves the machine; the outbox row is the delivered message. */
export const outboxAdapter: ChannelAdapter = {
  name: 'outbox',
  async deliver() {
    return { ok: true };
  },
};

export type ChannelAdapters = ReadonlyMap<MessageChannel, ChannelAdapter>;

const installed = new Map<MessageChannel, ChannelAdapter>();

/** Installs the adapter for a channel (composition root, from configuration). */
export function registerChannelAdapter(channel: MessageChannel, adapter: ChannelAdapter): void {
  installed.set(channel, adapter);
}

/** The adapter for a channel: the installed one, else the outbox. */
export function adapterFor(channel: MessageChannel, adapters: ChannelAdapters = installed): ChannelAdapter {
  return adapters.get(channel) ?? outboxAdapter;
}

export function installedChannelAdapters(): ChannelAdapters {
  return installed;
}

/**
 * Where Alibaba Cloud SMS (dysmsapi SendSms) or Tencent Cloud SMS (SendSms) plugs in. Both send only
 * approved templates with a registered signature (签名), so an SMS adapter maps Kefu's template key to
 * the provider's template code and passes `templateParams`; the free `body` is only the outbox's
 * human-readable copy. An adapter built on this sketch supplies `send` (the signed HTTPS call) and gets
 * the mapping, the error classification and the retry semantics from `smsAdapter`.
 */
export interface SmsProviderSketch {
  name: 'aliyun-sms' | 'tencent-sms';
  /** Kefu template key → the provider's approved template code (e.g. SMS_123456789 / 1234567). */
  templates: Readonly<Record<string, string>>;
  /** One provider call; resolves with the provider's answer, rejects on network failure. */
  send(request: { phone: string; templateCode: string; params: Record<string, string>; outId: string }): Promise<{ code: string; messageId?: string }>;
  /** Provider codes that mean "try again later" (throttling, busy), e.g. isv.BUSINESS_LIMIT_CONTROL, LimitExceeded. */
  retryableCodes: readonly string[];
  /** The provider's success code: 'OK' for Alibaba Cloud, 'Ok' for Tencent Cloud. */
  okCode: string;
}

export function smsAdapter(provider: SmsProviderSketch): ChannelAdapter {
  return {
    name: provider.name,
    async deliver(message) {
      const templateCode = message.templateKey ? provider.templates[message.templateKey] : undefined;
      if (!templateCode) return { ok: false, error: `no_template:${message.templateKey ?? ''}`, retryable: false };
      const params = Object.fromEntries(Object.entries(message.templateParams).map(([k, v]) => [k, v === null ? '' : String(v)]));
      try {
        // outId: the outbox id, so the provider's delivery receipts can be matched to this row.
        const r = await provider.send({ phone: message.recipient, templateCode, params, outId: message.id });
        if (r.code === provider.okCode) return { ok: true, externalId: r.messageId };
        return { ok: false, error: r.code, retryable: provider.retryableCodes.includes(r.code) };
      } catch (err) {
        return { ok: false, error: err instanceof Error ? err.message : String(err), retryable: true };
      }
    },
  };
}
