import { publishHome } from '../../home.js';
/** Register the App Home listener. */
export function registerAppHomeEvents(app, deps) {
    app.event('app_home_opened', async ({ event }) => {
        if (event.tab !== 'home')
            return;
        await publishHome(deps, event.user);
    });
}
//# sourceMappingURL=app-home-opened.js.map