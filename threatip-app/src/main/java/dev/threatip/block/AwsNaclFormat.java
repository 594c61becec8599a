package dev.threatip.block;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * AWS network ACL deny entries ({@code aws-sg}). Security groups only allow — they have no deny
 * rule — so the AWS construct that blocks a source address for a subnet is the network ACL:
 * {@code {"NetworkAclEntries": [{"RuleNumber", "Protocol": "-1", "RuleAction": "deny",
 * "Egress": false, "CidrBlock" | "Ipv6CidrBlock"}]}}, each entry a valid
 * {@code aws ec2 create-network-acl-entry --cli-input-json} body (the ACL id comes from the
 * command line). Rule numbers count from 1, below the usual allow rule 100, so the denies are
 * evaluated first. A network ACL holds 20 rules per direction and family by default (40 at
 * most on request), which is why this target is small and the ranking matters.
 */
final class AwsNaclFormat implements ExportFormat {
    private static final ExportTarget TARGET = ExportTarget.enforcing(
            "aws-sg",
            "AWS network ACL deny entries (security groups cannot deny), for create-network-acl-entry",
            "application/json",
            ".json",
            new Capacity(20, true, "AWS network ACL rules per direction, the default quota"),
            "a network ACL cannot challenge (use aws-waf with a CAPTCHA rule action)");


    @Override
    public ExportTarget target() {
        return TARGET;
    }

    @Override
    public void write(Selection s, StringBuilder out) {
        ObjectNode root = JsonOutput.NODES.objectNode();
        ArrayNode entries = root.putArray("NetworkAclEntries");
        int rule = 1;
        for (Selection.Entry e : s.entries()) {
            ObjectNode o = entries.addObject();
            o.put("RuleNumber", rule++);
            o.put("Protocol", "-1");
            o.put("RuleAction", "deny");
            o.put("Egress", false);
            o.put(e.scope().isIpv4() ? "CidrBlock" : "Ipv6CidrBlock", e.scope().toString());
        }
        JsonOutput.write(root, out);
    }
}
