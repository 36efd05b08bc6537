import { Badge, Button, Group, Menu, Modal, Stack, Switch, Text, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/api-error.js';
import { ErrorAlert } from '../../api/error-alert.js';
import { useErrorMessage } from '../../api/use-error-message.js';
import type { ItemList } from '../../api/types.js';
import { ConfirmDialog } from '../../ui/confirm-dialog.js';
import { useNotify } from '../../ui/notifications.js';
import type { ListState } from './use-list-state.js';
import { useListErrorOverrides } from './use-list-error-overrides.js';
import { VIEW_NAME_MAX, VIEW_QUERY_KEY, viewsApi, type NewView, type SavedView } from './views-api.js';

type Dialog = 'save-as' | 'rename' | 'delete' | null;

/**
 * Saved views: open one, save the list as shown as a new one (private or shared with the
 * workspace), and — for views the caller may change — save changes back, rename, share or
 * stop sharing, delete.
 */
export function SavedViewsMenu({ state }: { state: ListState }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const describe = useErrorMessage();
  const overrides = useListErrorOverrides();
  const queryClient = useQueryClient();
  const [dialog, setDialogState] = useState<Dialog>(null);
  const { views, activeView, openView, definition, modified } = state;

  const replaceInCache = (change: (items: SavedView[]) => SavedView[]) =>
    queryClient.setQueryData<ItemList<SavedView>>(VIEW_QUERY_KEY, (old) => (old ? { items: change(old.items) } : old));
  const failed = (error: unknown) => notify((isApiError(error) && overrides[error.code]) || describe(error), 'error');

  const create = useMutation({
    mutationFn: (view: NewView) => viewsApi.create(view),
    onSuccess: (view) => {
      replaceInCache((items) => [...items, view]);
      void queryClient.invalidateQueries({ queryKey: VIEW_QUERY_KEY });
      setDialogState(null);
      openView(view);
      notify(t('customers.list.views.saved', { name: view.name }));
    },
  });
  const update = useMutation({
    mutationFn: ({ id, changes }: { id: string; changes: Partial<NewView> }) => viewsApi.update(id, changes),
    onSuccess: (view) => {
      replaceInCache((items) => items.map((each) => (each.id === view.id ? view : each)));
      setDialogState(null);
      notify(t('customers.list.views.updated', { name: view.name }));
    },
  });
  const remove = useMutation({
    mutationFn: (view: SavedView) => viewsApi.remove(view.id),
    onSuccess: (_, view) => {
      replaceInCache((items) => items.filter((each) => each.id !== view.id));
      setDialogState(null);
      // The list stays as it is, no longer tied to the view.
      state.update({ view: null });
      notify(t('customers.list.views.deleted', { name: view.name }));
    },
  });
  /** A dialog opens without the error of an earlier attempt. */
  const setDialog = (next: Dialog) => {
    create.reset();
    update.reset();
    remove.reset();
    setDialogState(next);
  };

  return (
    <>
      <Menu position="bottom-end" withinPortal width={280} closeOnItemClick>
        <Menu.Target>
          <Button variant="default" data-testid="views-menu" rightSection={
              modified ? (
                <Badge size="xs" variant="light" data-testid="view-modified">
                  {t('customers.list.views.modified')}
                </Badge>
              ) : undefined
            } maw="100%">
            <Text span inherit truncate maw={200}>
              {activeView?.name ?? t('customers.list.views.none')}
            </Text>
          </Button>
        </Menu.Target>
        <Menu.Dropdown mah={420} style={{ overflowY: 'auto' }}>
          <Menu.Label>{t('customers.list.views.title')}</Menu.Label>
          <Menu.Item onClick={() => openView(null)} fw={activeView ? undefined : 600} data-testid="view-none">
            {t('customers.list.views.none')}
          </Menu.Item>
          {views.isPending ? (
            <Menu.Item disabled>{t('common.loading')}</Menu.Item>
          ) : views.isError ? (
            <Menu.Item disabled>{describe(views.error)}</Menu.Item>
          ) : views.data.length === 0 ? (
            <Menu.Item disabled>{t('customers.list.views.empty')}</Menu.Item>
          ) : (
            views.data.map((view) => (
              <Menu.Item
                key={view.id}
                onClick={() => openView(view)}
                fw={view.id === activeView?.id ? 600 : undefined}
                rightSection={view.shared ? <Badge size="xs" variant="light" color="gray">{t('customers.list.views.shared')}</Badge> : undefined}
                data-testid="view-option"
              >
                <Text span inherit truncate>
                  {view.name}
                </Text>
              </Menu.Item>
            ))
          )}
          <Menu.Divider />
          <Menu.Item onClick={() => setDialog('save-as')} data-testid="view-save-as">
            {t('customers.list.views.saveAs')}
          </Menu.Item>
          {activeView?.canChange && (
            <>
              <Menu.Item disabled={!modified} onClick={() => update.mutate({ id: activeView.id, changes: { definition } }, { onError: failed })} data-testid="view-save-changes">
                {t('customers.list.views.saveChanges')}
              </Menu.Item>
              <Menu.Item onClick={() => setDialog('rename')} data-testid="view-rename">
                {t('customers.list.views.rename')}
              </Menu.Item>
              <Menu.Item onClick={() => update.mutate({ id: activeView.id, changes: { shared: !activeView.shared } }, { onError: failed })} data-testid="view-share">
                {activeView.shared ? t('customers.list.views.unshare') : t('customers.list.views.share')}
              </Menu.Item>
              <Menu.Item color="red" onClick={() => setDialog('delete')} data-testid="view-delete">
                {t('customers.list.views.delete')}
              </Menu.Item>
            </>
          )}
        </Menu.Dropdown>
      </Menu>

      {/* Mounted while open: each opening starts from the view's name, or a blank one. */}
      {(dialog === 'save-as' || dialog === 'rename') && (
        <NameDialog
          mode={dialog}
          initialName={dialog === 'rename' ? (activeView?.name ?? '') : ''}
          pending={create.isPending || update.isPending}
          error={dialog === 'rename' ? update.error : create.error}
          onClose={() => setDialog(null)}
          onSubmit={(name, shared) => (dialog === 'rename' && activeView ? update.mutate({ id: activeView.id, changes: { name } }) : create.mutate({ name, shared, definition }))}
        />
      )}
      {activeView && (
        <ConfirmDialog
          opened={dialog === 'delete'}
          title={t('customers.list.views.deleteTitle')}
          confirmLabel={t('customers.list.views.deleteConfirm')}
          danger
          loading={remove.isPending}
          error={remove.error}
          onConfirm={() => remove.mutate(activeView)}
          onCancel={() => setDialog(null)}
        >
          {activeView.shared ? t('customers.list.views.deleteShared', { name: activeView.name }) : t('customers.list.views.deleteBody', { name: activeView.name })}
        </ConfirmDialog>
      )}
    </>
  );
}

function NameDialog({
  mode,
  initialName,
  pending,
  error,
  onClose,
  onSubmit,
}: {
  mode: 'save-as' | 'rename';
  initialName: string;
  pending: boolean;
  error: unknown;
  onClose: () => void;
  onSubmit: (name: string, shared: boolean) => void;
}) {
  const { t } = useTranslation();
  const overrides = useListErrorOverrides();
  const [name, setName] = useState(initialName);
  const [shared, setShared] = useState(false);
  const [blank, setBlank] = useState(false);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!name.trim()) return setBlank(true);
    onSubmit(name.trim(), shared);
  };

  return (
    <Modal opened onClose={onClose} title={mode === 'rename' ? t('customers.list.views.renameTitle') : t('customers.list.views.saveTitle')} centered>
      <form onSubmit={submit} data-testid="view-form">
        <Stack>
          <TextInput
            label={t('customers.list.views.name')}
            value={name}
            onChange={(event) => {
              setName(event.currentTarget.value);
              setBlank(false);
            }}
            maxLength={VIEW_NAME_MAX}
            error={blank ? t('customers.list.views.nameRequired') : undefined}
            data-autofocus
            data-testid="view-name"
          />
          {mode === 'save-as' && (
            <Switch
              label={t('customers.list.views.shareLabel')}
              description={t('customers.list.views.shareHint')}
              checked={shared}
              onChange={(event) => setShared(event.currentTarget.checked)}
              data-testid="view-shared"
            />
          )}
          <ErrorAlert error={error} overrides={overrides} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose} disabled={pending}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={pending} data-testid="view-submit">
              {mode === 'rename' ? t('common.save') : t('customers.list.views.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
