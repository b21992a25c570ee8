package io.ncp.onos.impl;

import org.onosproject.net.DeviceId;
import org.onosproject.net.flow.FlowRule;
import org.onosproject.net.flow.TrafficSelector;
import org.onosproject.net.flow.TrafficTreatment;

import java.util.Objects;

/**
 * Everything that makes two FlowRules the same rule on a switch, treatment included (DefaultFlowRule.equals
 * leaves the treatment out): device, priority, selector, treatment, app, permanence.
 */
public final class FlowRuleKey {

    final DeviceId device;
    final int priority;
    final TrafficSelector selector;
    final TrafficTreatment treatment;
    final short appId;
    final boolean permanent;

    private FlowRuleKey(FlowRule r) {
        this.device = r.deviceId();
        this.priority = r.priority();
        this.selector = r.selector();
        this.treatment = r.treatment();
        this.appId = r.appId();
        this.permanent = r.isPermanent();
    }

    public static FlowRuleKey of(FlowRule r) {
        return new FlowRuleKey(r);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof FlowRuleKey)) {
            return false;
        }
        FlowRuleKey k = (FlowRuleKey) o;
        return device.equals(k.device) && priority == k.priority && selector.equals(k.selector)
                && treatment.equals(k.treatment) && appId == k.appId && permanent == k.permanent;
    }

    @Override
    public int hashCode() {
        return Objects.hash(device, priority, selector, treatment, appId, permanent);
    }

    @Override
    public String toString() {
        return device + " prio=" + priority + " " + selector.criteria() + " => " + treatment.allInstructions()
                + " app=" + appId + (permanent ? "" : " temporary");
    }
}
