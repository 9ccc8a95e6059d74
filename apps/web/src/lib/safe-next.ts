/** Where to go after signing in: only paths of this app, never another site. */
export function safeNextPath(value: string | null | undefined): string {
  if (value?.startsWith('/') && !value.startsWith('//') && !value.startsWith('/\\')) return value;
  return '/console';
}
