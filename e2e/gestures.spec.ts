// Every gesture, by mouse (HTML5 drag and drop, clicks) and by keyboard alone: each edits the
// scenario's timeline at the cursor, re-runs, selects what it added and jumps to its action.
import { expect, test, type Page } from '@playwright/test';

test.describe.configure({ timeout: 60_000 });
import { currentEntry, entryText, focusPage, node, open, seed000, step, stepStatus, stepUntil, urlStep } from './support/playground.ts';
import { toasterMonitors } from './support/scenarios.ts';

const palette = (page: Page, name: 'Processor' | 'Memory module' | 'Device') => page.getByRole('button', { name, exact: true });
const graph = (page: Page) => page.getByTestId('graph');

/** The new action is where the view is, its node is selected. */
async function landedOn(page: Page, action: RegExp, selected: string) {
  await expect.poll(() => entryText(page)).toMatch(action);
  await expect(node(page, selected)).toHaveClass(/\bselected\b/);
  await expect(currentEntry(page)).toHaveAttribute('title', action);
}

test.describe('palette: processor', () => {
  test('drag a processor in after the driver loaded, then step through Start and Complete reaching its callback', async ({ page }) => {
    await open(page, seed000, 0);
    await focusPage(page);
    await page.keyboard.press('Shift+ArrowRight'); // to the start of "load sampledrv"
    await expect(stepStatus(page)).toHaveText('Step 5 of 58');
    await expect(page.getByText('Goes in after action 1; seen by sampledrv.')).toBeVisible();

    await palette(page, 'Processor').dragTo(graph(page));
    await landedOn(page, /▶ hotAddProcessor$/, 'CPU 2');
    const [, n] = await step(page);
    expect(n).toBeGreaterThan(58);
    await expect(node(page, 'CPU 3')).toBeVisible(); // the old hot-add now brings processor 3
    await expect(page.getByRole('status').filter({ hasText: 'Added action 2' })).toContainText('hotAddProcessor');

    await focusPage(page);
    await stepUntil(page, /sampledrv!SyncProcessorCallback\(.*State=KeProcessorAddStartNotify, NtNumber=2\b/);
    await expect(node(page, 'Driver sampledrv')).toHaveAttribute('aria-label', /its code is running now/);
    await expect(node(page, 'CPU 2')).toHaveAttribute('aria-label', /, starting/);
    await expect(page.locator('.react-flow__edge[aria-label*="notification being delivered now"]')).toHaveCount(1);
    await expect(page.locator('.pnp-notification-dot')).toHaveCount(1);
    await stepUntil(page, /KeProcessorAddCompleteNotify, NtNumber=2\b/);
    await expect(node(page, 'CPU 2')).toHaveAttribute('aria-label', /, active/);
    // The URL follows the scenario and the step.
    const [k] = await step(page);
    await expect.poll(() => urlStep(page)).toBe(k - 1);
  });

  test('keyboard: Enter on the Processor button hot-adds one where it teaches', async ({ page }) => {
    await open(page);
    await palette(page, 'Processor').focus();
    await page.keyboard.press('Enter');
    await landedOn(page, /▶ hotAddProcessor$/, 'CPU 2');
    await expect(page.getByText('Added action 2')).toBeVisible();
    // Space works too: another one.
    await palette(page, 'Processor').focus();
    await page.keyboard.press(' ');
    await expect(node(page, 'CPU 4')).toBeVisible();
  });
});

test.describe('palette: memory', () => {
  test('drag a memory module into the partition', async ({ page }) => {
    await open(page, seed000, 56);
    await palette(page, 'Memory module').dragTo(node(page, 'Hardware partition'), { targetPosition: { x: 24, y: 12 } });
    await landedOn(page, /▶ hotAddMemory mem0 \(4096 MiB\)$/, 'Memory mem0');
    await expect(node(page, 'Memory mem0 · 4 GiB')).toBeVisible();
    await focusPage(page);
    await stepUntil(page, /memory:mem0 not-present → active/);
    await expect(node(page, 'Memory mem0')).toHaveAttribute('aria-label', /, active/);
  });

  test('keyboard: Enter adds mem0, then mem1', async ({ page }) => {
    await open(page, seed000, 56);
    await palette(page, 'Memory module').focus();
    await page.keyboard.press('Enter');
    await landedOn(page, /hotAddMemory mem0/, 'Memory mem0');
    await palette(page, 'Memory module').focus();
    await page.keyboard.press('Enter');
    await landedOn(page, /hotAddMemory mem1/, 'Memory mem1');
  });
});

test.describe('palette: device', () => {
  test('drag a device onto the PnP manager (root bus), then one onto that device', async ({ page }) => {
    await open(page, seed000, 56);
    await palette(page, 'Device').dragTo(node(page, 'PnP manager'));
    await landedOn(page, /▶ plug device1$/, 'Device device1');
    await expect(page.locator('.react-flow__edge[aria-label^="root bus enumerates device1"]')).toHaveCount(1);
    await focusPage(page);
    await stepUntil(page, /interface:.*DEVICE1.* none → enabled/);
    await expect(node(page, 'Device device1')).toHaveAttribute('aria-label', /device1, started; driver stack FDO generic1, PDO ROOT; interfaces GUID_DEVINTERFACE_GENERIC enabled/);

    await palette(page, 'Device').dragTo(node(page, 'Device device1'));
    await landedOn(page, /▶ plug device2$/, 'Device device2');
    await expect(page.locator('.react-flow__edge[aria-label^="device1 enumerates device2"]')).toHaveCount(1);
  });

  test('keyboard: Enter plugs a device in under the root bus; "Add child device" from the actions panel', async ({ page }) => {
    await open(page, seed000, 56);
    await palette(page, 'Device').focus();
    await page.keyboard.press('Enter');
    await landedOn(page, /▶ plug device1$/, 'Device device1');
    await page.getByRole('button', { name: 'Add child device' }).focus();
    await page.keyboard.press('Enter');
    await landedOn(page, /▶ plug device2$/, 'Device device2');
    await expect(page.locator('.react-flow__edge[aria-label^="device1 enumerates device2"]')).toHaveCount(1);
  });

  test('a new device exposes the interface class a monitor listens for, and the monitor hears it arrive', async ({ page }) => {
    await open(page, toasterMonitors, 1000);
    await palette(page, 'Device').dragTo(graph(page), { targetPosition: { x: 30, y: 30 } });
    await landedOn(page, /▶ plug device1$/, 'Device device1');
    await focusPage(page);
    await stepUntil(page, /monitor!OnInterface\(.*CM_NOTIFY_ACTION_DEVICEINTERFACEARRIVAL.*DEVICE1/);
    await expect(node(page, 'App monitor')).toHaveAttribute('aria-label', /its code is running now/);
  });
});

test.describe('actions panel', () => {
  test('device by mouse: Eject, then step through the user-mode and kernel notifications', async ({ page }) => {
    await open(page, toasterMonitors, 1000);
    await node(page, 'Device toaster0').click();
    await expect(page.getByRole('heading', { name: 'Device toaster0' })).toBeVisible();
    await page.getByRole('button', { name: 'Eject' }).click();
    await landedOn(page, /▶ eject toaster0$/, 'Device toaster0');
    await focusPage(page);
    await stepUntil(page, /shell → CM_Query_And_Remove_SubTree\(dnAncestor=toaster0/);
    await stepUntil(page, /monitor!OnDevice\(.*Action=CM_NOTIFY_ACTION_DEVICEQUERYREMOVE/);
    await expect(node(page, 'App monitor')).toHaveAttribute('aria-label', /its code is running now/);
    await expect(node(page, 'PnP manager')).toHaveAttribute('aria-label', /blocked: .*pnp waits for monitor!OnDevice/);
    await expect(node(page, 'Device toaster0')).toHaveAttribute('aria-label', /query-remove-pending/);
    await stepUntil(page, /kmon!TargetCallback\(Event=GUID_TARGET_DEVICE_QUERY_REMOVE/);
    await expect(node(page, 'Driver kmon')).toHaveAttribute('aria-label', /its code is running now/);
    await stepUntil(page, /kmon!TargetCallback\(Event=GUID_TARGET_DEVICE_REMOVE_COMPLETE/);
    await stepUntil(page, /IRP_MN_REMOVE_DEVICE → toaster0/);
    await stepUntil(page, /shell ← CM_Query_And_Remove_SubTree = CR_SUCCESS/);
    await stepUntil(page, /monitor!OnInterface\(.*CM_NOTIFY_ACTION_DEVICEINTERFACEREMOVAL/);
    await expect(node(page, 'Device toaster0')).toHaveAttribute('aria-label', /toaster0, removed/);
  });

  test('device by keyboard: select with Enter, Plug in, Surprise remove', async ({ page }) => {
    await open(page, { ...toasterMonitors, timeline: [...toasterMonitors.timeline!, { do: 'eject', device: 'toaster0' }] }, 1000);
    await node(page, 'Device toaster0').focus();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { name: 'Device toaster0' })).toBeVisible();
    await page.getByRole('button', { name: 'Plug in' }).focus();
    await page.keyboard.press('Enter');
    await landedOn(page, /▶ plug toaster0$/, 'Device toaster0');
    await page.getByRole('button', { name: 'Surprise remove' }).focus();
    await page.keyboard.press('Enter');
    await landedOn(page, /▶ surpriseRemove toaster0$/, 'Device toaster0');
    await focusPage(page);
    await stepUntil(page, /device:toaster0 started → surprise-removed/);
    await stepUntil(page, /IRP_MN_SURPRISE_REMOVAL → toaster0/);
    await stepUntil(page, /kmon!InterfaceCallback\(Event=GUID_DEVICE_INTERFACE_REMOVAL/);
    await stepUntil(page, /monitor!OnInterface\(.*CM_NOTIFY_ACTION_DEVICEINTERFACEREMOVAL/);
  });

  test('driver: Unload and Load by keyboard, run a routine by mouse', async ({ page }) => {
    await open(page, toasterMonitors, 1000);
    await node(page, 'Driver kmon').focus();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { name: 'Driver kmon' })).toBeVisible();
    await page.getByRole('button', { name: 'Unload' }).focus();
    await page.keyboard.press('Enter');
    await landedOn(page, /▶ unload kmon$/, 'Driver kmon');
    await focusPage(page);
    // Its target-device registration is still live: IO-6, the driver cannot unload.
    await stepUntil(page, /driver:kmon unloading → unload-blocked/);
    await expect(node(page, 'Driver kmon')).toHaveAttribute('aria-label', /unload-blocked/);
    await page.getByRole('button', { name: 'Load', exact: true }).click();
    await landedOn(page, /▶ load kmon$/, 'Driver kmon');
    await page.getByRole('button', { name: 'Run Ping' }).click();
    await landedOn(page, /▶ run kmon!Ping$/, 'Driver kmon');
    await focusPage(page);
    await stepUntil(page, /kmon: ping/);
  });

  test('app: Exit and Start by mouse, run a routine by keyboard', async ({ page }) => {
    await open(page, toasterMonitors, 1000);
    await node(page, 'App monitor').click();
    await page.getByRole('button', { name: 'Exit' }).click();
    await landedOn(page, /▶ exit monitor$/, 'App monitor');
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await landedOn(page, /▶ start monitor$/, 'App monitor');
    await page.getByRole('button', { name: 'Run Cleanup' }).focus();
    await page.keyboard.press('Enter');
    await landedOn(page, /▶ run monitor!Cleanup$/, 'App monitor');
    await focusPage(page);
    await stepUntil(page, /→ CM_Unregister_Notification/);
  });

  test('processor: Remove processor is refused, and the actions panel says why (KE-6)', async ({ page }) => {
    await open(page, seed000, 56);
    await node(page, 'CPU 1').focus();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { name: 'Processor 1' })).toBeVisible();
    await page.getByRole('button', { name: 'Remove processor' }).focus();
    await page.keyboard.press('Enter');
    await landedOn(page, /▶ removeProcessor NtNumber=1$/, 'CPU 1');
    const outcome = page.getByRole('status').filter({ hasText: 'Added action 4' });
    await expect(outcome).toContainText('KE-6');
    await expect(outcome).toContainText('Processor 1 cannot be removed: Windows never removes an active processor');
    await expect(node(page, 'CPU 1')).toHaveAttribute('aria-label', /, active/);
  });
});
