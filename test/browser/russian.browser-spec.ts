// Switching the UI to Russian changes the chrome, and the export form's labels, enum titles, tab titles, help text
// and error messages (from x-title-ru / x-description-ru and the service's Russian problem messages); the export is
// "Экспорт в НКЦКИ" everywhere, from the button to the last sentence of the dialog.
import { createIncident, field, screenshot, screenshotDialog, signedInPage } from './browser-support';

jest.setTimeout(90_000);

describe('the UI in Russian', () => {
  let incident: { id: string };
  const ui = signedInPage('analyst', {
    arrange: async (stack) => {
      incident = await createIncident(stack, { title: 'Фишинговая рассылка', externalId: 'SIEM-4001' });
    },
  });

  it('switches the chrome to Russian and remembers the choice', async () => {
    await ui.page.getByRole('button', { name: 'Switch the interface to Russian' }).click();
    const nav = ui.page.getByRole('navigation', { name: 'Главное меню' });
    await expect(nav.getByRole('link').allTextContents()).resolves.toEqual(['Инциденты', 'Уведомления']);
    await ui.page.getByRole('heading', { name: 'Инциденты' }).waitFor();
    await expect(ui.page.locator('html').getAttribute('lang')).resolves.toBe('ru');
    await expect(ui.page.locator('table tbody tr .badge').first().textContent()).resolves.toBe('Не экспортирован');
    await ui.page.reload();
    await ui.page.getByRole('heading', { name: 'Инциденты' }).waitFor();
    await screenshot(ui.page, 'incident-list-ru');
  });

  it('renders the export form from x-title-ru and x-description-ru, with Russian error messages', async () => {
    await ui.page.goto(`${ui.stack.baseUrl}/#/incidents/${incident.id}`);
    await ui.page.getByRole('heading', { name: 'Экспорт в НКЦКИ' }).waitFor();
    await ui.page.getByRole('button', { name: 'Экспорт в НКЦКИ' }).click();
    const dialog = ui.page.getByRole('dialog', { name: 'Экспорт в НКЦКИ' });
    await dialog.getByRole('tab', { name: 'Основные' }).waitFor();
    await dialog.getByRole('tab', { name: 'Дополнительно' }).waitFor();
    await expect(field(dialog, 'Категория').locator('option').allTextContents()).resolves.toEqual([
      '',
      'Уведомление о компьютерном инциденте',
      'Уведомление о компьютерной атаке',
      'Уведомление о наличии уязвимости',
    ]);
    await expect(field(dialog, 'Местоположение').locator('option:checked').textContent()).resolves.toBe('Москва');
    await dialog.getByText('Вид уведомления, направляемого в НКЦКИ.').waitFor();
    await field(dialog, 'Категория').selectOption({ label: 'Уведомление о компьютерной атаке' });
    await field(dialog, 'Тип').selectOption({ label: 'Сетевое сканирование' });
    await field(dialog, 'Категория контролируемого ресурса').selectOption({ label: 'Объект КИИ третьей категории значимости' });

    await dialog.getByRole('button', { name: 'Экспортировать' }).click();
    await expect(dialog.locator('#export_affectedSystemName__error').textContent()).resolves.toBe('обязательное поле');
    await dialog.getByRole('alert').filter({ hasText: 'Исправьте отмеченные поля' }).waitFor();
    await screenshotDialog(ui.page, 'export-dialog-ru');

    // a computer attack has no impacts: the Advanced tab does not offer them
    await dialog.getByRole('tab', { name: 'Дополнительно' }).click();
    await field(dialog, 'Средство обнаружения').waitFor();
    await expect(field(dialog, 'Влияние на доступность').count()).resolves.toBe(0);
  });

  it('adds product rows with "Добавить новый элемент" for a vulnerability', async () => {
    const dialog = ui.page.getByRole('dialog', { name: 'Экспорт в НКЦКИ' });
    await dialog.getByRole('tab', { name: 'Основные' }).click();
    await field(dialog, 'Категория').selectOption({ label: 'Уведомление о наличии уязвимости' });
    const products = dialog.getByRole('group', { name: /^Сведения о продукте/ });
    await products.locator('.list-head').getByText('Наименование').waitFor();
    await expect(field(products, 'Наименование').count()).resolves.toBe(1);
    await dialog.getByRole('button', { name: 'Добавить новый элемент' }).click();
    await expect(field(products, 'Наименование').count()).resolves.toBe(2);
    await dialog.getByRole('button', { name: 'Удалить' }).nth(1).click();
    await expect(field(products, 'Наименование').count()).resolves.toBe(1);
  });

  it('exports with Экспортировать, then Подтвердить, and says where further changes are made', async () => {
    const dialog = ui.page.getByRole('dialog', { name: 'Экспорт в НКЦКИ' });
    await field(dialog, 'Категория').selectOption({ label: 'Уведомление о компьютерной атаке' });
    await field(dialog, 'Тип').selectOption({ label: 'Сетевое сканирование' });
    await field(dialog, 'Наименование контролируемого ресурса').fill('Пограничный маршрутизатор');
    await dialog.getByRole('button', { name: 'Экспортировать' }).click();
    await dialog.getByRole('heading', { name: 'Подтвердите экспорт в НКЦКИ' }).waitFor();
    await dialog.getByRole('button', { name: 'Подтвердить' }).click();
    await dialog.getByTestId('export-done').waitFor();
    await dialog.getByText('Дальнейшие изменения вносятся в личном кабинете ГосСОПКА.').waitFor();
    await dialog.getByRole('button', { name: 'Закрыть', exact: true }).last().click();
    await ui.page.getByTestId('export-state').filter({ hasText: 'Экспортирован успешно' }).waitFor();
    await expect(ui.page.getByTestId('further-changes').textContent()).resolves.toBe('Дальнейшие изменения вносятся в личном кабинете ГосСОПКА.');
    await screenshot(ui.page, 'incident-exported-ru');
  });
});
