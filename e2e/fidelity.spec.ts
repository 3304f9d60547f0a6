// Fidelity in the page (issue 9): the demos for IoSetDeviceInterfaceState, processor groups, an app's
// eject that is vetoed (RM-9, RM-11) and a surprise removal during a veto open from the gallery and
// explain themselves; a removal started by software and an action that starts inside an earlier one
// work from a link. Controls and regions are found by role and name.
import { expect, test, type Page } from '@playwright/test';
import type { Scenario } from '../src/scenario/types.ts';
import { entryText, focusPage, open, openDemo, stepUntil } from './support/playground.ts';

test.describe.configure({ timeout: 60_000 });

const explanation = (page: Page) => page.getByRole('region', { name: 'Explanation' });
const narration = (page: Page) => explanation(page).getByRole('region', { name: 'Narration' });


test('IoSetDeviceInterfaceState demo: the interface goes off and on, watchers see REMOVAL then ARRIVAL, explained by IO-11', async ({ page }) => {
  await openDemo(page, 'seed002-interface-off-on');
  // It opens at the driver's Disable routine (timeline step 3).
  await expect.poll(() => entryText(page)).toMatch(/run toaster!Disable/);
  await stepUntil(page, /→ IoSetDeviceInterfaceState\(.*Enable=false/);
  await expect(explanation(page).getByRole('article', { name: 'Disabling an interface is a removal, enabling it an arrival' })).toBeVisible();
  await stepUntil(page, /watcher!OnInterface\(Event=GUID_DEVICE_INTERFACE_REMOVAL/);
  await expect(narration(page)).toContainText('Maintenance: turn the interface off');
  await stepUntil(page, /monitor!OnInterface\(.*Action=CM_NOTIFY_ACTION_DEVICEINTERFACEREMOVAL/);
  await stepUntil(page, /→ IoSetDeviceInterfaceState\(.*Enable=true/);
  await expect(explanation(page).getByRole('article', { name: 'Disabling an interface is a removal, enabling it an arrival' })).toBeVisible();
  await stepUntil(page, /watcher!OnInterface\(Event=GUID_DEVICE_INTERFACE_ARRIVAL/);
  await stepUntil(page, /monitor!OnInterface\(.*Action=CM_NOTIFY_ACTION_DEVICEINTERFACEARRIVAL/);
  await expect(narration(page)).toContainText('The same symbolic link arrived again');
});

test('processor groups demo: processor 64 is number 0 of group 1, and the callback reads ProcNumber.Group / .Number', async ({ page }) => {
  await openDemo(page, 'seed000-processor-groups');
  await expect.poll(() => entryText(page)).toMatch(/hotAddProcessor/);
  await stepUntil(page, /groupdrv!SyncProcessorCallback\(.*State=KeProcessorAddStartNotify, NtNumber=64, ProcNumber=1\/0/);
  await expect(explanation(page).getByRole('article', { name: 'Each callback is called twice per hot-add' })).toBeVisible();
  await stepUntil(page, /Number 0 in its group/);
  await expect(narration(page)).toContainText('the first processor of a new group');
  await stepUntil(page, /groupdrv!SyncProcessorCallback\(.*State=KeProcessorAddStartNotify, NtNumber=65, ProcNumber=1\/1/);
  await stepUntil(page, /Not the first of its group/);
  await expect(narration(page)).toContainText('allocate only per-processor data');
});

test('eject-vetoed demo: an app\'s CM_Request_Device_Eject comes back CR_REMOVE_VETOED (RM-9); a failed device is surprise-removed (RM-11)', async ({ page }) => {
  await openDemo(page, 'seed002-eject-vetoed');
  // It opens at the tray app's Eject routine (timeline step 3).
  await expect.poll(() => entryText(page)).toMatch(/run tray!Eject/);
  await stepUntil(page, /→ CM_Request_Device_Eject\(/);
  await expect(explanation(page).getByRole('article', { name: 'An app asks for an eject with CM_Request_Device_Eject' })).toBeVisible();
  await stepUntil(page, /Unsaved work on the toaster/);
  await expect(narration(page)).toContainText('veto the removal');
  await stepUntil(page, /editor!OnDevice\(.*Action=CM_NOTIFY_ACTION_DEVICEQUERYREMOVEFAILED/);
  await stepUntil(page, /← CM_Request_Device_Eject = CR_REMOVE_VETOED.*PNP_VetoWindowsApp.*editor/);
  // Part two: the driver reports its device failed; no query-remove, straight to the surprise removal.
  await stepUntil(page, /reports PNP_DEVICE_FAILED/);
  await expect(explanation(page).getByRole('article', { name: 'A device its driver reports failed is surprise-removed' })).toBeVisible();
  await stepUntil(page, /editor!OnDevice\(.*Action=CM_NOTIFY_ACTION_DEVICEREMOVECOMPLETE/);
});

test('surprise-during-veto demo: the surprise removal starts inside the eject, while the veto is being answered; the veto stands, then RM-5', async ({ page }) => {
  await openDemo(page, 'seed002-surprise-during-veto');
  // It opens at the user's eject (timeline step 2).
  await expect.poll(() => entryText(page)).toMatch(/eject toaster0/);
  await stepUntil(page, /Unsaved work on the toaster/);
  // The action starts just before editor's callback returns its veto; its entry names where (the `during` op).
  await stepUntil(page, /surpriseRemove toaster0 \(during step 2, before \/apps\/editor\/routines\/OnDevice\/cases\/CM_NOTIFY_ACTION_DEVICEQUERYREMOVE\/1\)/);
  await expect(explanation(page).getByRole('article', { name: 'Surprise removal asks no one' })).toBeVisible();
  // The broadcast in progress finishes first: the veto is returned and answered with QUERYREMOVEFAILED.
  await stepUntil(page, /editor!OnDevice\(.*Action=CM_NOTIFY_ACTION_DEVICEQUERYREMOVEFAILED/);
  await stepUntil(page, /IRP_MN_SURPRISE_REMOVAL/);
  await stepUntil(page, /← CM_Query_And_Remove_SubTree = CR_REMOVE_VETOED/);
  await stepUntil(page, /editor!OnDevice\(.*Action=CM_NOTIFY_ACTION_DEVICEREMOVECOMPLETE/);
  await stepUntil(page, /Close the handle/);
  await expect(narration(page)).toContainText('Surprise removal: the device is gone');
});

/** An app that ejects the toaster (CM_Request_Device_Eject) while another app vetoes; then the vetoing app exits inside its callback. */
const softwareEject: Scenario = {
  format: 'pnp-scenario/1',
  title: 'An app requests the eject',
  machine: { devices: [{ id: 'toaster0', stack: ['toaster'], interfaces: ['GUID_DEVINTERFACE_TOASTER'] }] },
  drivers: { toaster: {} },
  apps: {
    holder: {
      routines: {
        main: [
          { call: 'CM_Get_Device_Interface_List', InterfaceClassGuid: 'GUID_DEVINTERFACE_TOASTER', Buffer: 'Links', result: 'cr' },
          { op: 'forEach', in: 'Links', as: 'Link', do: [
            { call: 'CreateFile', lpFileName: 'Link', result: 'hDevice' },
            { call: 'CM_Register_Notification', pFilter: { FilterType: 'CM_NOTIFY_FILTER_TYPE_DEVICEHANDLE', hTarget: 'hDevice' }, pContext: null, pCallback: 'OnDevice', pNotifyContext: 'hNotify', result: 'cr' },
          ] },
        ],
        OnDevice: { switch: 'Action', cases: { CM_NOTIFY_ACTION_DEVICEQUERYREMOVE: [{ op: 'note', text: 'Busy: veto.' }, { op: 'return', value: 'ERROR_CANCELLED' }] } },
      },
    },
    ejector: {
      routines: {
        main: [],
        Eject: [{ call: 'CM_Request_Device_Eject', dnDevInst: 'ROOT\\TOASTER0\\0000', pVetoType: 'VetoType', pszVetoName: 'VetoName', result: 'cr' }],
      },
    },
  },
  timeline: [
    { do: 'start', app: 'holder' },
    { do: 'start', app: 'ejector' },
    { do: 'run', component: 'ejector', routine: 'Eject' },
    { do: 'exit', app: 'holder', during: { step: 3, op: '/apps/holder/routines/OnDevice/cases/CM_NOTIFY_ACTION_DEVICEQUERYREMOVE/1' } },
  ],
};

test('removal started by software, and an action inside another: CM_Request_Device_Eject (RM-9) while the vetoing app exits in its callback', async ({ page }) => {
  await open(page, softwareEject, 0);
  await focusPage(page);
  await stepUntil(page, /→ CM_Request_Device_Eject\(/);
  const rm9 = explanation(page).getByRole('article', { name: 'An app asks for an eject with CM_Request_Device_Eject' });
  await expect(rm9).toBeVisible();
  await expect(rm9.getByTitle('Provenance: modelling choice')).toBeVisible();
  await stepUntil(page, /Busy: veto\./);
  // The exit starts just before the callback returns its veto.
  await stepUntil(page, /exit holder \(during step 3/);
  await expect(explanation(page)).toContainText('starts inside an earlier action');
  // The callback never returned its veto: the removal goes through and the app's call succeeds.
  await stepUntil(page, /← CM_Request_Device_Eject = CR_SUCCESS/);
});
