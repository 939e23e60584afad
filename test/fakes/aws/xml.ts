/**
 * awsQuery XML: `<{Action}Response xmlns=…><{Action}Result>…</…Result><ResponseMetadata>…`
 * for answers and `<ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/>` for errors.
 * Lists are written as `<member>` children, timestamps as ISO-8601 without milliseconds.
 */

export type XmlValue = string | number | boolean | Date | XmlFields | readonly XmlValue[] | undefined;

/** Ordered element names to values; `undefined` values are left out, as AWS omits absent fields. */
export interface XmlFields {
  readonly [element: string]: XmlValue;
}

export const Namespace = {
  iam: 'https://iam.amazonaws.com/doc/2010-05-08/',
  sts: 'https://sts.amazonaws.com/doc/2011-06-15/',
} as const;

/** A successful answer; operations without output have no Result element. */
export function successXml(action: string, namespace: string, result: XmlFields | undefined, requestId: string): string {
  const resultXml = result === undefined ? '' : element(`${action}Result`, result);
  const metadata = element('ResponseMetadata', { RequestId: requestId });
  return `<${action}Response xmlns="${namespace}">${resultXml}${metadata}</${action}Response>\n`;
}

export interface XmlError {
  readonly type: 'Sender' | 'Receiver';
  readonly code: string;
  readonly message: string;
}

/** The error envelope IAM and STS send with a 4xx/5xx status. */
export function errorXml(error: XmlError, namespace: string, requestId: string): string {
  const body = element('Error', { Type: error.type, Code: error.code, Message: error.message });
  return `<ErrorResponse xmlns="${namespace}">${body}${element('RequestId', requestId)}</ErrorResponse>\n`;
}

/** ISO-8601 as IAM writes it: `2015-06-16T22:36:00Z`. */
export function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function element(name: string, value: XmlValue): string {
  if (value === undefined) return '';
  return `<${name}>${content(value)}</${name}>`;
}

function content(value: Exclude<XmlValue, undefined>): string {
  if (value instanceof Date) return isoSeconds(value);
  if (Array.isArray(value)) return value.map((item: XmlValue) => element('member', item)).join('');
  if (typeof value === 'object') {
    return Object.entries(value as XmlFields)
      .map(([name, child]) => element(name, child))
      .join('');
  }
  return escapeText(String(value));
}

function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
