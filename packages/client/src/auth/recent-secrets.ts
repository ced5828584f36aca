/**
 * The last few secrets handed out (tokens rotate; earlier ones may still be echoed by a server).
 *
 * @example const recent = new RecentSecrets(); recent.add(token); redactText(text, recent.list());
 */
export class RecentSecrets {
  private readonly items: string[] = [];

  add(secret: string): void {
    if (this.items.includes(secret)) return;
    this.items.push(secret);
    if (this.items.length > 32) this.items.shift();
  }

  list(): string[] {
    return this.items;
  }
}
