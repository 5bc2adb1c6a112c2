package io.jwtgate.core.module;

import io.jwtgate.core.http.LocSlot;
import io.jwtgate.core.http.MainSlot;
import io.jwtgate.core.http.RequestSlot;
import java.util.ArrayList;
import java.util.List;

/**
 * The modules of one process, in the order their handlers run within a phase. Indexes of modules and slots are
 * assigned here once, so that every configuration loaded later (reloads too) lays out its arrays the same way.
 */
public final class ModuleRegistry {

    private final List<HttpModule> modules;
    private final List<LocSlot<?, ?>> locSlots = new ArrayList<>();
    private final List<MainSlot<?>> mainSlots = new ArrayList<>();
    private int requestSlots;

    public ModuleRegistry(List<HttpModule> modules) {
        this.modules = List.copyOf(modules);
        for (int i = 0; i < this.modules.size(); i++) {
            HttpModule m = this.modules.get(i);
            if (m.registered) {
                throw new IllegalArgumentException("module " + m.name() + " is registered twice");
            }
            m.registered = true;
            for (LocSlot<?, ?> s : m.locSlots()) {
                s.bind(locSlots.size());
                locSlots.add(s);
            }
            for (MainSlot<?> s : m.mainSlots()) {
                s.bind(mainSlots.size());
                mainSlots.add(s);
            }
            for (RequestSlot<?> s : m.requestSlots()) {
                s.bind(requestSlots++);
            }
        }
    }

    public List<HttpModule> modules() {
        return modules;
    }

    public List<LocSlot<?, ?>> locSlots() {
        return locSlots;
    }

    public List<MainSlot<?>> mainSlots() {
        return mainSlots;
    }

    /** How many per-request state slots the modules declared. */
    public int requestSlotCount() {
        return requestSlots;
    }
}
