import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router';
import ShowListPage from './pages/ShowListPage.vue';
import { session, whenSessionExpires } from './state/session.js';

// Every page but the show list is its own chunk, fetched when the buyer first goes there.
const HoldPage = () => import('./pages/HoldPage.vue');
const LoginPage = () => import('./pages/LoginPage.vue');
const NotFoundPage = () => import('./pages/NotFoundPage.vue');
const ReservationsPage = () => import('./pages/ReservationsPage.vue');
const ScanPage = () => import('./pages/ScanPage.vue');
const ShowPage = () => import('./pages/ShowPage.vue');
const SignUpPage = () => import('./pages/SignUpPage.vue');
const SetupPage = () => import('./pages/SetupPage.vue');
const AdminShowsPage = () => import('./pages/admin/AdminShowsPage.vue');
const AdminShowPage = () => import('./pages/admin/AdminShowPage.vue');
const AdminLivePage = () => import('./pages/admin/AdminLivePage.vue');
const WaitingRoomPage = () => import('./pages/WaitingRoomPage.vue');
const AdminShowFormPage = () => import('./pages/admin/AdminShowFormPage.vue');

const routes: RouteRecordRaw[] = [
  { path: '/', name: 'shows', component: ShowListPage, meta: { title: 'nav.shows' } },
  { path: '/login', name: 'login', component: LoginPage, meta: { title: 'auth.login.title' } },
  { path: '/signup', name: 'signup', component: SignUpPage, meta: { title: 'auth.signup.title' } },
  { path: '/setup', name: 'setup', component: SetupPage, meta: { title: 'setup.title' } },
  { path: '/shows/:id', name: 'show', component: ShowPage, props: true },
  { path: '/shows/:id/queue', name: 'queue', component: WaitingRoomPage, props: true, meta: { auth: true, title: 'queue.title' } },
  { path: '/holds/:holdId', name: 'hold', component: HoldPage, props: true, meta: { auth: true, title: 'hold.title' } },
  { path: '/me/reservations', name: 'reservations', component: ReservationsPage, meta: { auth: true, title: 'reservations.title' } },
  { path: '/admin', name: 'admin', component: AdminShowsPage, meta: { auth: true, title: 'admin.title' } },
  { path: '/admin/shows/:id', name: 'admin-show', component: AdminShowPage, props: true, meta: { auth: true, title: 'admin.title' } },
  {
    path: '/admin/shows/:id/live',
    name: 'admin-live',
    component: AdminLivePage,
    props: true,
    meta: { auth: true, title: 'admin.live.title' },
  },
  { path: '/admin/shows/new', name: 'admin-new-show', component: AdminShowFormPage, meta: { auth: true, title: 'admin.builder.newTitle' } },
  {
    path: '/admin/shows/:id/edit',
    name: 'admin-edit-show',
    component: AdminShowFormPage,
    props: true,
    meta: { auth: true, title: 'admin.title' },
  },
  { path: '/scan', name: 'scan', component: ScanPage, meta: { auth: true, title: 'scan.title' } },
  { path: '/:pathMatch(.*)*', name: 'not-found', component: NotFoundPage, meta: { title: 'notFound.title' } },
];

export const router = createRouter({
  history: createWebHistory(),
  routes,
  scrollBehavior: (_to, _from, saved) => saved ?? { top: 0 },
});

router.beforeEach((to) => {
  if (to.meta.auth && !session.loggedIn.value) return { name: 'login', query: { next: to.fullPath } };
  return true;
});

whenSessionExpires(() => {
  const current = router.currentRoute.value;
  if (current.meta.auth) void router.push({ name: 'login', query: { next: current.fullPath } });
});
