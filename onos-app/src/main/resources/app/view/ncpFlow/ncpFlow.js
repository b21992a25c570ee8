// NCP Replication view: table of host-to-host flows; a selected flow opens a panel with the replication form,
// "Preview plan" (ncpPlanRequest) and "Replicate" (ncpReplicateRequest). The server validates the form exactly
// like a REST body and answers {ok, plan, lines} or {ok: false, error}.
(function () {
    'use strict';

    var $log, $scope, wss, ps, panel,
        pName = 'ncp-plan-panel',
        fields = [
            ['name', 'Spec name'], ['src', 'Client IP/prefix'], ['dst', 'Primary IP'], ['dstPort', 'Primary port'],
            ['middlebox', 'Middlebox IP'], ['listenPort', 'Listen port'], ['admin', 'Admin ip:port'],
            ['replicas', 'Replicas ip:port,...']
        ];

    function form() {
        var f = {};
        fields.forEach(function (fd) {
            f[fd[0]] = panel.el().select('#ncp-' + fd[0]).property('value');
        });
        f.tunnel = panel.el().select('#ncp-tunnel').property('checked');
        return f;
    }

    function show(text, isError) {
        var out = panel.el().select('pre');
        out.classed('error', !!isError);
        out.text(text);
    }

    function buildPanel(flow) {
        panel.empty();
        panel.append('h3').text('Replicate ' + flow.id);
        var tbody = panel.append('table').append('tbody');
        var defaults = {
            name: 'flow-' + (flow.dstPort || 'tcp'), src: flow.src, dst: flow.dst, dstPort: flow.dstPort,
            listenPort: '7000'
        };
        fields.forEach(function (fd) {
            var tr = tbody.append('tr');
            tr.append('td').attr('class', 'label').text(fd[1]);
            tr.append('td').append('input').attr('type', 'text').attr('id', 'ncp-' + fd[0])
                .property('value', defaults[fd[0]] || '');
        });
        var tr = tbody.append('tr');
        tr.append('td').attr('class', 'label').text('Tunnel mode');
        tr.append('td').append('input').attr('type', 'checkbox').attr('id', 'ncp-tunnel').property('checked', true);
        panel.append('button').text('Preview plan').on('click', function () {
            wss.sendEvent('ncpPlanRequest', form());
        });
        panel.append('button').text('Replicate').on('click', function () {
            wss.sendEvent('ncpReplicateRequest', form());
        });
        panel.append('pre');
        panel.show();
    }

    function planResp(data) {
        if (data.ok) {
            var head = data.plan.clients.map(function (c) {
                return c.host + ': redirect at ' + c.redirectionSwitch;
            });
            show(head.concat(data.lines).join('\n'));
        } else {
            show(data.error, true);
        }
    }

    function replicateResp(data) {
        show(data.ok ? ('Added ' + data.name + ': ' + data.rules + ' rules') : data.error, !data.ok);
    }

    angular.module('ovNcpFlow', [])
        .controller('OvNcpFlowCtrl',
            ['$log', '$scope', 'TableBuilderService', 'WebSocketService',
                function (_$log_, _$scope_, tbs, _wss_) {
                    $log = _$log_;
                    $scope = _$scope_;
                    wss = _wss_;
                    var handlers = {
                        ncpPlanResponse: planResp,
                        ncpReplicateResponse: replicateResp
                    };
                    wss.bindHandlers(handlers);

                    function selCb($event, row) {
                        if ($scope.selId) {
                            buildPanel(row);
                        } else if (panel) {
                            panel.hide();
                        }
                    }

                    tbs.buildTable({scope: $scope, tag: 'ncpFlow', selCb: selCb});

                    $scope.$on('$destroy', function () {
                        wss.unbindHandlers(handlers);
                    });
                    $log.log('OvNcpFlowCtrl has been created');
                }])

        .directive('ovNcpFlowPlanPanel', ['PanelService', 'KeyService',
            function (_ps_, ks) {
                return {
                    restrict: 'E',
                    link: function (scope) {
                        ps = _ps_;
                        panel = ps.createPanel(pName, {width: 340, margin: 20, hideMargin: 0});
                        panel.classed('ncp-plan-panel', true);
                        panel.hide();
                        ks.keyBindings({
                            esc: [function () {
                                if (panel.isVisible()) {
                                    scope.selId = null;
                                    panel.hide();
                                    return true;
                                }
                                return false;
                            }, 'Close the replication panel'],
                            _helpFormat: ['esc']
                        });
                        ks.gestureNotes([['click', 'Select a flow to plan its replication']]);
                        scope.$on('$destroy', function () {
                            ks.unbindKeys();
                            ps.destroyPanel(pName);
                        });
                    }
                };
            }]);
}());
