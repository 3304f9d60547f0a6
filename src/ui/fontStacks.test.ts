import { describe, expect, it } from 'vitest';
import { isDesktopLinux } from './fontStacks.ts';

describe('isDesktopLinux', () => {
  it('is true for desktop Linux browsers', () => {
    expect(isDesktopLinux('Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/150.0.0.0 Safari/537.36')).toBe(true);
    expect(isDesktopLinux('Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/150.0.0.0 Safari/537.36')).toBe(true);
    expect(isDesktopLinux('Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0')).toBe(true);
  });
  it('is false for Android, ChromeOS, macOS and Windows', () => {
    expect(isDesktopLinux('Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/150.0.0.0 Mobile Safari/537.36')).toBe(false);
    expect(isDesktopLinux('Mozilla/5.0 (Android 14; Mobile; rv:128.0) Gecko/128.0 Firefox/128.0')).toBe(false);
    expect(isDesktopLinux('Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/150.0.0.0 Safari/537.36')).toBe(false);
    expect(isDesktopLinux('Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/150.0.0.0 Safari/537.36')).toBe(false);
    expect(isDesktopLinux('Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/150.0.0.0 Safari/537.36')).toBe(false);
  });
});
