import type { Collector } from './collector.js';

// Stealth plugins fake navigator.plugins with plain objects: the real one is a PluginArray of Plugins.
export const pluginsPrototype: Collector = {
  name: 'plugins_prototype',
  stable: false,
  collect: () => {
    const plugins = navigator.plugins;
    if (typeof PluginArray === 'undefined') return true;
    const arrayOk = Object.getPrototypeOf(plugins) === PluginArray.prototype;
    const itemsOk = Array.from(plugins).every((p) => Object.getPrototypeOf(p) === Plugin.prototype);
    return arrayOk && itemsOk;
  },
};
